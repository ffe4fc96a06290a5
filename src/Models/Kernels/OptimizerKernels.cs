using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// Optimizer updates in place, <see cref="PointwiseKernels.PerInvocation"/> parameters per invocation laid out as in
/// <see cref="PointwiseKernels"/> (launched by <see cref="Ops.ElementGrid"/>). Each update takes a one-element guard:
/// when <c>guarded</c> and guard[0] is NaN or ±inf (a diverged loss, or the gradients' sum of squares), the kernel
/// writes nothing, so a bad step leaves parameters and optimizer state as they were without a read-back.
/// </summary>
public static partial class OptimizerKernels
{
    /// <summary>
    /// SGD with momentum and (coupled, L2) weight decay, PyTorch's formulation: g = grad + weightDecay * p;
    /// v = momentum * v + g; p -= lr * (nesterov ? g + momentum * v : v).
    /// </summary>
    [ComputeKernel(256)]
    public static void SgdMomentum(ReadWriteBuffer<float> parameters, ReadOnlyBuffer<float> gradients, ReadWriteBuffer<float> velocity,
        ReadOnlyBuffer<float> guard, float learningRate, float momentum, float weightDecay, bool nesterov, bool guarded, uint n, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
        if (guarded && FloatBits.IsNonFinite(guard[0])) return;
        uint first = GlobalId.Y * PointwiseKernels.PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PointwiseKernels.PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            float p = parameters[i];
            float g = gradients[i] + weightDecay * p;
            float v = momentum * velocity[i] + g;
            velocity[i] = v;
            float step = nesterov ? g + momentum * v : v;
            parameters[i] = p - learningRate * step;
        }
    }

    /// <summary>
    /// AdamW (decoupled weight decay, Loshchilov and Hutter): p -= lr * weightDecay * p; m = b1 m + (1 - b1) g;
    /// v = b2 v + (1 - b2) g^2; p -= lr * (m / correction1) / (sqrt(v / correction2) + eps), where
    /// correction1 = 1 - b1^t and correction2 = 1 - b2^t for step t (computed on the host, in double).
    /// </summary>
    [ComputeKernel(256)]
    public static void AdamW(ReadWriteBuffer<float> parameters, ReadOnlyBuffer<float> gradients, ReadWriteBuffer<float> m, ReadWriteBuffer<float> v,
        ReadOnlyBuffer<float> guard, float learningRate, float beta1, float beta2, float epsilon, float weightDecay, float correction1,
        float correction2, bool guarded, uint n, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
        if (guarded && FloatBits.IsNonFinite(guard[0])) return;
        uint first = GlobalId.Y * PointwiseKernels.PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PointwiseKernels.PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            float g = gradients[i];
            float p = parameters[i] * (1f - learningRate * weightDecay);
            float mi = beta1 * m[i] + (1f - beta1) * g;
            float vi = beta2 * v[i] + (1f - beta2) * g * g;
            m[i] = mi;
            v[i] = vi;
            parameters[i] = p - learningRate * (mi / correction1) / (MathF.Sqrt(vi / correction2) + epsilon);
        }
    }

    /// <summary>
    /// Plain SGD with (coupled, L2) weight decay, no velocity: p -= lr * (grad + weightDecay * p).
    /// </summary>
    [ComputeKernel(256)]
    public static void Sgd(ReadWriteBuffer<float> parameters, ReadOnlyBuffer<float> gradients, ReadOnlyBuffer<float> guard,
        float learningRate, float weightDecay, bool guarded, uint n, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
        if (guarded && FloatBits.IsNonFinite(guard[0])) return;
        uint first = GlobalId.Y * PointwiseKernels.PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PointwiseKernels.PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            float p = parameters[i];
            parameters[i] = p - learningRate * (gradients[i] + weightDecay * p);
        }
    }

    /// <summary>
    /// The gradient-clipping factor from the gradients' sum of squares s (PyTorch's clip_grad_norm_):
    /// scale[0] = min(1, maxNorm / (sqrt(s) + 1e-6)); +inf gives 0 and NaN stays NaN. Launch 1.
    /// </summary>
    [ComputeKernel(1)]
    public static void ClipScale(ReadOnlyBuffer<float> sumOfSquares, ReadWriteBuffer<float> scale, float maxNorm)
    {
        if (GlobalId.X > 0) return;
        float s = sumOfSquares[0];
        float result;
        if (FloatBits.IsNaN(s)) result = s;
        else if (FloatBits.IsNonFinite(s)) result = 0f;
        else result = MathF.Min(1f, maxNorm / (MathF.Sqrt(s) + 1e-6f));
        scale[0] = result;
    }
}
