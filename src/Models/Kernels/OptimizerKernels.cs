using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// Optimizer updates in place, <see cref="PointwiseKernels.PerInvocation"/> parameters per invocation laid out as in
/// <see cref="PointwiseKernels"/> (launched by <see cref="Ops.ElementGrid"/>).
/// </summary>
public static partial class OptimizerKernels
{
    /// <summary>
    /// SGD with momentum and (coupled, L2) weight decay, PyTorch's formulation: g = grad + weightDecay * p;
    /// v = momentum * v + g; p -= lr * (nesterov ? g + momentum * v : v).
    /// </summary>
    [ComputeKernel(256)]
    public static void SgdMomentum(ReadWriteBuffer<float> parameters, ReadOnlyBuffer<float> gradients, ReadWriteBuffer<float> velocity,
        float learningRate, float momentum, float weightDecay, bool nesterov, uint n, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
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
        float learningRate, float beta1, float beta2, float epsilon, float weightDecay, float correction1, float correction2, uint n, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
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
}
