using KernelGen.Models.Kernels;
using KernelGen.Models.Nn;

namespace KernelGen.Models.Training;

/// <summary>
/// The gradient norm of each layer (each direct child of a model: the stem, every block, the classifier), measured on
/// the device inside a training step and read back on the steps that ask for it. The article's evidence for the
/// vanishing gradient: in a plain deep network the first layers' norms fall far below the last layers'; with
/// residual connections they stay comparable.
/// </summary>
public sealed class LayerGradientNorms : IDisposable
{
    private readonly (string Name, Module Module)[] layers;
    private readonly MetricSlots slots;

    public LayerGradientNorms(ComputeDevice device, IEnumerable<(string Name, Module Module)> layers)
    {
        this.layers = layers.Where(l => l.Module.Parameters().Any(p => p.RequiresGrad)).ToArray();
        if (this.layers.Length == 0) throw new ArgumentException("None of the layers has parameters.", nameof(layers));
        slots = new MetricSlots(device, this.layers.Length);
    }

    public IReadOnlyList<string> Names => layers.Select(l => l.Name).ToArray();

    /// <summary>Records, into the open batch, each layer's sum of squared gradients (call after Backward, before clipping).</summary>
    public void Record(ComputeDevice device)
    {
        for (int i = 0; i < layers.Length; i++)
        {
            bool first = true;
            foreach (var p in layers[i].Module.Parameters())
            {
                if (!p.RequiresGrad || !p.HasGrad) continue;
                Ops.SumOfSquares(device, p.Grad!.Buffer, slots[i], p.Shape.Count, beta: first ? 0f : 1f);
                first = false;
            }
            if (first) device.Clear(slots.Buffer, i * MetricSlots.Stride, 1);
        }
    }

    /// <summary>The norms recorded last, in layer order.</summary>
    public async Task<float[]> ReadAsync(CancellationToken cancellationToken = default)
    {
        var squares = await slots.ReadAsync(cancellationToken).ConfigureAwait(false);
        return squares.Select(MathF.Sqrt).ToArray();
    }

    public void Dispose() => slots.Dispose();
}
