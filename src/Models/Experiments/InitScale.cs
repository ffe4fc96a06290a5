using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Experiments;

/// <summary>The spread of the activations (and of the gradient) at each depth of a freshly initialised ReLU stack.</summary>
/// <param name="ActivationStd">Standard deviation of layer l's output over the batch, l = 1 .. depth.</param>
/// <param name="GradientStd">Standard deviation of layer l's weight gradient, for a cross-entropy loss of the last output against random targets.</param>
public sealed record InitScaleResult(InitScheme Scheme, double[] ActivationStd, double[] GradientStd);

/// <summary>
/// Why initialisation matters in deep nets: pushes a batch of unit-variance inputs through <c>depth</c> layers of
/// Linear(width, width) + ReLU, initialised with one scheme, and measures how the activations' spread changes with depth
/// on the way in and the gradients' on the way back. He's N(0, 2 / fanIn) keeps both near constant through ReLUs
/// (each ReLU zeroes half of the signal, the factor 2 gives it back); Glorot's variance 2 / (fanIn + fanOut), made for
/// tanh, halves the signal at every layer.
/// </summary>
public static class InitScale
{
    public static InitScaleResult Measure(ComputeDevice device, InitScheme scheme, int depth = 20, int width = 256, int batch = 256, int seed = 1)
    {
        var init = new Init(device, seed);
        var layers = Enumerable.Range(0, depth).Select(_ => new Linear(init, width, width, bias: false, scheme: scheme)).ToArray();
        try
        {
            var random = new Random(seed);
            float[] Normal(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];
            using var pool = new BufferPool(device);
            using var graph = new Graph(pool);
            var input = graph.Input(Normal(batch * width), new Shape(batch, width));
            var x = input;
            var outputs = new List<Tensor>();
            foreach (var layer in layers)
            {
                x = Relu(layer.Forward(x));
                outputs.Add(x);
            }
            var targets = graph.Indices([.. Enumerable.Range(0, batch).Select(_ => random.Next(width))], new Shape(batch), width);
            CrossEntropy(x, targets).Backward();
            return new InitScaleResult(scheme,
                [.. outputs.Select(t => Std(t.ToArray()))],
                [.. layers.Select(l => Std(l.Weight.Grad!.ToArray()))]);
        }
        finally
        {
            foreach (var layer in layers) layer.Dispose();
        }
    }

    private static double Std(float[] values)
    {
        double mean = values.Average(v => (double)v);
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
