using KernelGen.Models.Tensors;

namespace KernelGen.Models.Optim;

/// <summary>
/// Updates parameters from their gradients, on the device, one kernel per parameter (recorded into the step's
/// batch). <see cref="Step"/> skips a parameter that received no gradient this pass (PyTorch's <c>grad is None</c>).
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<string, GpuBuffer<float>> state = [];

    protected Optimizer(IEnumerable<(string Name, Tensor Tensor)> parameters, float learningRate)
    {
        Parameters = parameters.Where(p => p.Tensor.RequiresGrad).ToArray();
        if (Parameters.Count == 0) throw new ArgumentException("There are no parameters to optimise.", nameof(parameters));
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        LearningRate = learningRate;
    }

    public IReadOnlyList<(string Name, Tensor Tensor)> Parameters { get; }

    /// <summary>The rate of the next step (a schedule sets it before each).</summary>
    public float LearningRate { get; set; }

    /// <summary>Steps taken (restored from a checkpoint when a run resumes).</summary>
    public int StepCount { get; set; }

    /// <summary>
    /// Applies one update. With <paramref name="skipIfNonFinite"/> (a one-element buffer: the loss, or the gradients'
    /// sum of squares) the kernels leave everything unchanged when that value is NaN or infinite, without a read.
    /// </summary>
    public void Step(GpuBufferView<float>? skipIfNonFinite = null)
    {
        StepCount++;
        foreach (var (name, parameter) in Parameters)
            if (parameter.HasGrad) Update(name, parameter, parameter.Grad!.Buffer, skipIfNonFinite);
    }

    public void ZeroGrad()
    {
        foreach (var (_, parameter) in Parameters) parameter.ZeroGrad();
    }

    /// <summary>The optimizer's per-parameter buffers by name ("fc1.weight.momentum"), for checkpoints.</summary>
    public IEnumerable<(string Name, GpuBuffer<float> Buffer)> State() => state.Select(kv => (kv.Key, kv.Value));

    protected abstract void Update(string name, Tensor parameter, GpuBuffer<float> gradient, GpuBufferView<float>? skipIfNonFinite);

    /// <summary>A state buffer of the parameter's size, zero at first (WebGPU and the CPU backend both start at zero).</summary>
    protected GpuBuffer<float> StateFor(string name, string kind, Tensor parameter)
    {
        string key = name + "." + kind;
        if (!state.TryGetValue(key, out var buffer))
            state[key] = buffer = parameter.Device.CreateBuffer<float>(parameter.Shape.Count);
        return buffer;
    }

    /// <summary>Creates every state buffer now (before loading a checkpoint into them).</summary>
    public void CreateState()
    {
        foreach (var (name, parameter) in Parameters) CreateStateFor(name, parameter);
    }

    protected abstract void CreateStateFor(string name, Tensor parameter);

    public void Dispose()
    {
        foreach (var buffer in state.Values) buffer.Dispose();
        state.Clear();
        GC.SuppressFinalize(this);
    }
}
