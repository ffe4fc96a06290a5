namespace KernelGen.Models.Tensors;

/// <summary>
/// A float32 tensor on a <see cref="ComputeDevice"/>: a <see cref="Tensors.Shape"/> over a device buffer, row-major.
/// Two kinds: a <b>parameter</b> (<see cref="Parameter"/>) owns its buffer and its gradient and lives as long as its
/// module; every other tensor is made by an operation inside a <see cref="Tensors.Graph"/>, rents its buffer from the
/// graph's pool and gives it back when the graph is disposed (one training step).
/// </summary>
/// <remarks>
/// Operations are the static methods of <see cref="Functional"/> (<c>Linear(x, w, b)</c>, <c>Relu(x)</c>, ...). Each
/// records its backward rule on the graph when an input <see cref="RequiresGrad"/>; <see cref="Backward"/> runs them
/// in reverse. Nothing here touches WebGPU: every operation calls the kernel library's <c>Ops</c>, so the same model
/// runs on every backend.
/// </remarks>
public sealed class Tensor
{
    internal Tensor(Shape shape, GpuBuffer<float> buffer, Graph? graph, bool requiresGrad, string? name)
    {
        if (buffer.Length < shape.Count)
            throw new ArgumentException($"A tensor of shape {shape} needs {shape.Count} elements; the buffer has {buffer.Length}.");
        Shape = shape;
        Buffer = buffer;
        Graph = graph;
        RequiresGrad = requiresGrad;
        Name = name;
    }

    public Shape Shape { get; }

    /// <summary>The device buffer holding the elements (a reshaped tensor shares its input's).</summary>
    public GpuBuffer<float> Buffer { get; }

    public ComputeDevice Device => Buffer.Device;

    /// <summary>The graph whose operation made this tensor, or null for a parameter.</summary>
    public Graph? Graph { get; }

    /// <summary>Whether a gradient flows back to this tensor: parameters, and what is computed from them.</summary>
    public bool RequiresGrad { get; }

    /// <summary>The parameter's name (its tensor name in checkpoints), or the operation that made it.</summary>
    public string? Name { get; internal set; }

    public bool IsParameter => Graph is null;

    /// <summary>d(loss)/d(this) after <see cref="Backward"/>; a parameter's lives as long as the parameter.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>
    /// Whether <see cref="Grad"/> holds a value of the current backward pass (then the next contribution adds to it,
    /// with the backward kernels' beta = 1); cleared by <see cref="ZeroGrad"/>, so clearing costs no kernel.
    /// </summary>
    public bool HasGrad { get; internal set; }

    /// <summary>Forgets the gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>): the next backward overwrites it.</summary>
    public void ZeroGrad() => HasGrad = false;

    /// <summary>A parameter: owns its buffer (and its gradient's, when it requires one).</summary>
    public static Tensor Parameter(ComputeDevice device, Shape shape, ReadOnlySpan<float> values, string name, bool requiresGrad = true)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (values.Length != shape.Count)
            throw new ArgumentException($"Parameter '{name}' of shape {shape} needs {shape.Count} values, got {values.Length}.", nameof(values));
        var tensor = new Tensor(shape, device.CreateBuffer(values), null, requiresGrad, name);
        if (requiresGrad) tensor.Grad = new Tensor(shape, device.CreateBuffer<float>(shape.Count), null, false, name + ".grad");
        return tensor;
    }

    /// <summary>Back-propagates from this scalar (usually the loss): fills <see cref="Grad"/> of every parameter it depends on.</summary>
    public void Backward()
    {
        if (Graph is null) throw new InvalidOperationException($"'{Name}' is a parameter; call Backward() on a value computed from it.");
        Graph.Backward(this);
    }

    /// <summary>The elements, read back to the host (waits for the device). Tests and small outputs only.</summary>
    public float[] ToArray()
    {
        var values = new float[Shape.Count];
        Buffer.ReadInto(values);
        return values;
    }

    /// <summary>The elements, read back without blocking a thread (the browser backend cannot block).</summary>
    public async Task<float[]> ToArrayAsync(CancellationToken cancellationToken = default)
    {
        var values = new float[Shape.Count];
        await Buffer.Slice(0, Shape.Count).ReadIntoAsync(values, 0, cancellationToken).ConfigureAwait(false);
        return values;
    }

    /// <summary>Overwrites a parameter's values (loading a checkpoint).</summary>
    public void Load(ReadOnlySpan<float> values)
    {
        if (values.Length != Shape.Count)
            throw new ArgumentException($"'{Name}' has shape {Shape} ({Shape.Count} values); got {values.Length}.", nameof(values));
        Buffer.Upload(values);
    }

    /// <summary>Releases a parameter's buffers (a graph's tensors go back to its pool when the graph is disposed).</summary>
    internal void DisposeParameter()
    {
        if (!IsParameter) return;
        Buffer.Dispose();
        Grad?.Buffer.Dispose();
    }

    public override string ToString() => $"{Name ?? "tensor"} {Shape}{(RequiresGrad ? " (requires grad)" : "")} on {Device.Backend}";
}
