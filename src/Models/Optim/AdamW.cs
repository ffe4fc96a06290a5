using KernelGen.Models.Kernels;
using KernelGen.Models.Tensors;

namespace KernelGen.Models.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter 2019): running means of the gradient (m) and of its square
/// (v), bias-corrected, and p -= lr * (m̂ / (sqrt(v̂) + ε) + wd * p).
/// </summary>
public sealed class AdamW(IEnumerable<(string Name, Tensor Tensor)> parameters, float learningRate, float beta1 = 0.9f,
    float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f) : Optimizer(parameters, learningRate)
{
    public float Beta1 { get; } = beta1;

    public float Beta2 { get; } = beta2;

    public float Epsilon { get; } = epsilon;

    public float WeightDecay { get; } = weightDecay;

    protected override void Update(string name, Tensor parameter, GpuBuffer<float> gradient, GpuBufferView<float>? skipIfNonFinite) =>
        Ops.AdamW(parameter.Device, parameter.Buffer, gradient, StateFor(name, "m", parameter), StateFor(name, "v", parameter),
            parameter.Shape.Count, StepCount, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, skipIfNonFinite);

    protected override void CreateStateFor(string name, Tensor parameter)
    {
        StateFor(name, "m", parameter);
        StateFor(name, "v", parameter);
    }
}
