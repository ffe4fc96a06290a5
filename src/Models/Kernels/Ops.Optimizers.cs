namespace KernelGen.Models.Kernels;

public static partial class Ops
{
    /// <summary>
    /// One plain SGD step on n parameters, in place, without a velocity buffer: p -= lr * (grad + weightDecay * p)
    /// (see <see cref="OptimizerKernels.Sgd"/>). <paramref name="skipIfNonFinite"/>: a one-element view (the loss, or
    /// the gradients' <see cref="SumOfSquares"/>); when it holds NaN or ±inf the step writes nothing (decided on the
    /// device, in the same submit: no read-back). Null: always step.
    /// </summary>
    public static void Sgd(ComputeDevice device, GpuBufferView<float> parameters, GpuBufferView<float> gradients,
        int n, float learningRate, float weightDecay = 0f, GpuBufferView<float>? skipIfNonFinite = null)
    {
        Positive(n, nameof(n));
        Require(parameters, n, nameof(parameters));
        Require(gradients, n, nameof(gradients));
        var guard = Guard(device, skipIfNonFinite);
        Distinct(parameters, nameof(parameters), (gradients, nameof(gradients)), (guard.View, nameof(skipIfNonFinite)));
        var (grid, width) = ElementGrid(n);
        OptimizerKernels.SgdKernel.Dispatch(device, grid, parameters, gradients, guard.View, learningRate, weightDecay, guard.Guarded, (uint)n, width);
    }

    /// <summary>
    /// One SGD step with momentum on n parameters, in place (see <see cref="OptimizerKernels.SgdMomentum"/>);
    /// <paramref name="skipIfNonFinite"/> as in <see cref="Sgd"/> (neither parameters nor velocity change).
    /// </summary>
    public static void SgdMomentum(ComputeDevice device, GpuBufferView<float> parameters, GpuBufferView<float> gradients, GpuBufferView<float> velocity,
        int n, float learningRate, float momentum = 0.9f, float weightDecay = 0f, bool nesterov = false,
        GpuBufferView<float>? skipIfNonFinite = null)
    {
        Positive(n, nameof(n));
        Require(parameters, n, nameof(parameters));
        Require(gradients, n, nameof(gradients));
        Require(velocity, n, nameof(velocity));
        var guard = Guard(device, skipIfNonFinite);
        Distinct(parameters, nameof(parameters), (gradients, nameof(gradients)), (velocity, nameof(velocity)), (guard.View, nameof(skipIfNonFinite)));
        Distinct(velocity, nameof(velocity), (gradients, nameof(gradients)), (guard.View, nameof(skipIfNonFinite)));
        var (grid, width) = ElementGrid(n);
        OptimizerKernels.SgdMomentumKernel.Dispatch(device, grid, parameters, gradients, velocity, guard.View,
            learningRate, momentum, weightDecay, nesterov, guard.Guarded, (uint)n, width);
    }

    /// <summary>
    /// One AdamW step (step counts from 1) on n parameters, in place; m and v start at zero
    /// (see <see cref="OptimizerKernels.AdamW"/>); <paramref name="skipIfNonFinite"/> as in <see cref="Sgd"/> (parameters,
    /// m and v unchanged; the caller decides whether a skipped step counts in <paramref name="step"/>).
    /// </summary>
    public static void AdamW(ComputeDevice device, GpuBufferView<float> parameters, GpuBufferView<float> gradients, GpuBufferView<float> m, GpuBufferView<float> v,
        int n, int step, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f,
        GpuBufferView<float>? skipIfNonFinite = null)
    {
        Positive(n, nameof(n));
        Positive(step, nameof(step));
        Require(parameters, n, nameof(parameters));
        Require(gradients, n, nameof(gradients));
        Require(m, n, nameof(m));
        Require(v, n, nameof(v));
        var guard = Guard(device, skipIfNonFinite);
        Distinct(parameters, nameof(parameters), (gradients, nameof(gradients)), (m, nameof(m)), (v, nameof(v)), (guard.View, nameof(skipIfNonFinite)));
        Distinct(m, nameof(m), (gradients, nameof(gradients)), (v, nameof(v)), (guard.View, nameof(skipIfNonFinite)));
        Distinct(v, nameof(v), (gradients, nameof(gradients)), (guard.View, nameof(skipIfNonFinite)));
        float correction1 = (float)(1 - Math.Pow(beta1, step));
        float correction2 = (float)(1 - Math.Pow(beta2, step));
        var (grid, width) = ElementGrid(n);
        OptimizerKernels.AdamWKernel.Dispatch(device, grid, parameters, gradients, m, v, guard.View,
            learningRate, beta1, beta2, epsilon, weightDecay, correction1, correction2, guard.Guarded, (uint)n, width);
    }

    /// <summary>
    /// The gradient-clipping factor on the device: scale[0] = min(1, maxNorm / (sqrt(s) + 1e-6)) for s =
    /// sumOfSquares[0] (from <see cref="SumOfSquares"/>), as PyTorch's clip_grad_norm_; an infinite s gives 0, NaN stays
    /// NaN. Then <see cref="ScaleInPlace"/> applies it to each gradient: clipping by the global norm in three
    /// dispatches per buffer, no read-back.
    /// </summary>
    public static void ClipScale(ComputeDevice device, GpuBufferView<float> sumOfSquares, GpuBufferView<float> scale, float maxNorm)
    {
        if (!(maxNorm > 0f) || float.IsInfinity(maxNorm)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "must be positive and finite");
        Require(sumOfSquares, 1, nameof(sumOfSquares));
        Require(scale, 1, nameof(scale));
        Distinct(scale, nameof(scale), (sumOfSquares, nameof(sumOfSquares)));
        OptimizerKernels.ClipScaleKernel.Dispatch(device, 1, sumOfSquares, scale, maxNorm);
    }

    /// <summary>The guard binding of an optimizer: the caller's one-element view, or the placeholder and guarded = false.</summary>
    private static (GpuBufferView<float> View, bool Guarded) Guard(ComputeDevice device, GpuBufferView<float>? skipIfNonFinite)
    {
        if (Present(skipIfNonFinite) is not { } view) return (Placeholder(device), false);
        Require(view, 1, nameof(skipIfNonFinite));
        return (view, true);
    }
}
