using KernelGen.Models.Kernels;
using KernelGen.Models.Optim;
using KernelGen.Models.Tensors;

namespace KernelGen.Models.Training;

/// <summary>
/// Global-norm gradient clipping on the device (PyTorch's <c>clip_grad_norm_</c>): the squares of every gradient are
/// summed into one slot, a scale min(1, max / norm) is computed there, and each gradient is multiplied by it. No
/// value comes back to the host, so the step stays one submit.
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// Writes the gradients' total sum of squares into <paramref name="sumOfSquares"/> and, when
    /// <paramref name="maxNorm"/> is given, scales the gradients so their global norm is at most that
    /// (<paramref name="scale"/> is a one-element scratch buffer of its own: WebGPU refuses a kernel that writes one view of a buffer and reads another).
    /// </summary>
    public static void ClipGlobalNorm(ComputeDevice device, IEnumerable<Tensor> parameters, GpuBufferView<float> sumOfSquares,
        GpuBuffer<float> scale, float? maxNorm)
    {
        var withGradients = parameters.Where(p => p.RequiresGrad && p.HasGrad).ToArray();
        if (withGradients.Length == 0) return;
        for (int i = 0; i < withGradients.Length; i++)
            Ops.SumOfSquares(device, withGradients[i].Grad!.Buffer, sumOfSquares, withGradients[i].Shape.Count, beta: i == 0 ? 0f : 1f);
        if (maxNorm is not { } max) return;
        Ops.ClipScale(device, sumOfSquares, scale, max);
        foreach (var p in withGradients) Ops.ScaleInPlace(device, p.Grad!.Buffer, scale, p.Shape.Count);
    }

    /// <summary>
    /// The end of a training step, shared by the trainers: copies the loss into its slot, then updates the parameters
    /// guarded by that loss (NaN or infinite: no update), or, when <paramref name="options"/> measure the norm, clips
    /// and guards by the norm's slot instead (a non-finite loss makes the norm non-finite too).
    /// </summary>
    internal static void GuardedStep(ComputeDevice device, IEnumerable<Tensor> parameters, Optimizer optimizer, Tensor loss,
        MetricSlots metrics, int lossSlot, int normSlot, GpuBuffer<float> clipScale, TrainingOptions options)
    {
        device.Copy(loss.Buffer, 0, metrics.Buffer, lossSlot * MetricSlots.Stride, 1);
        var guard = metrics[lossSlot];
        if (options.MeasuresNorm)
        {
            ClipGlobalNorm(device, parameters, metrics[normSlot], clipScale, options.ClipNorm);
            guard = metrics[normSlot];
        }
        optimizer.Step(guard);
    }
}
