namespace KernelGen.Models.Kernels;

public static partial class Ops
{
    /// <summary>One SGD step with momentum on n parameters, in place (see <see cref="OptimizerKernels.SgdMomentum"/>).</summary>
    public static void SgdMomentum(ComputeDevice device, GpuBufferView<float> parameters, GpuBufferView<float> gradients, GpuBufferView<float> velocity,
        int n, float learningRate, float momentum = 0.9f, float weightDecay = 0f, bool nesterov = false)
    {
        Positive(n, nameof(n));
        Require(parameters, n, nameof(parameters));
        Require(gradients, n, nameof(gradients));
        Require(velocity, n, nameof(velocity));
        Distinct(parameters, nameof(parameters), (gradients, nameof(gradients)), (velocity, nameof(velocity)));
        Distinct(velocity, nameof(velocity), (gradients, nameof(gradients)));
        var (grid, width) = ElementGrid(n);
        OptimizerKernels.SgdMomentumKernel.Dispatch(device, grid, parameters, gradients, velocity,
            learningRate, momentum, weightDecay, nesterov, (uint)n, width);
    }

    /// <summary>
    /// One AdamW step (step counts from 1) on n parameters, in place; m and v start at zero
    /// (see <see cref="OptimizerKernels.AdamW"/>).
    /// </summary>
    public static void AdamW(ComputeDevice device, GpuBufferView<float> parameters, GpuBufferView<float> gradients, GpuBufferView<float> m, GpuBufferView<float> v,
        int n, int step, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
    {
        Positive(n, nameof(n));
        Positive(step, nameof(step));
        Require(parameters, n, nameof(parameters));
        Require(gradients, n, nameof(gradients));
        Require(m, n, nameof(m));
        Require(v, n, nameof(v));
        Distinct(parameters, nameof(parameters), (gradients, nameof(gradients)), (m, nameof(m)), (v, nameof(v)));
        Distinct(m, nameof(m), (gradients, nameof(gradients)), (v, nameof(v)));
        Distinct(v, nameof(v), (gradients, nameof(gradients)));
        float correction1 = (float)(1 - Math.Pow(beta1, step));
        float correction2 = (float)(1 - Math.Pow(beta2, step));
        var (grid, width) = ElementGrid(n);
        OptimizerKernels.AdamWKernel.Dispatch(device, grid, parameters, gradients, m, v,
            learningRate, beta1, beta2, epsilon, weightDecay, correction1, correction2, (uint)n, width);
    }
}
