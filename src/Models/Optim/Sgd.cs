using KernelGen.Models.Kernels;
using KernelGen.Models.Tensors;

namespace KernelGen.Models.Optim;

/// <summary>
/// Stochastic gradient descent: p -= lr * (g + wd * p), with momentum (v = μ v + g; p -= lr * v, PyTorch's form)
/// when <see cref="Momentum"/> is above 0, optionally Nesterov's. Without momentum there is no state buffer.
/// </summary>
public sealed class Sgd(IEnumerable<(string Name, Tensor Tensor)> parameters, float learningRate, float momentum = 0f,
    float weightDecay = 0f, bool nesterov = false) : Optimizer(parameters, learningRate)
{
    public float Momentum { get; } = momentum;

    public float WeightDecay { get; } = weightDecay;

    public bool Nesterov { get; } = nesterov;

    protected override void Update(string name, Tensor parameter, GpuBuffer<float> gradient, GpuBufferView<float>? skipIfNonFinite)
    {
        int n = parameter.Shape.Count;
        if (Momentum == 0f)
            Ops.Sgd(parameter.Device, parameter.Buffer, gradient, n, LearningRate, WeightDecay, skipIfNonFinite);
        else
            Ops.SgdMomentum(parameter.Device, parameter.Buffer, gradient, StateFor(name, "momentum", parameter), n, LearningRate,
                Momentum, WeightDecay, Nesterov, skipIfNonFinite);
    }

    protected override void CreateStateFor(string name, Tensor parameter)
    {
        if (Momentum != 0f) StateFor(name, "momentum", parameter);
    }
}
