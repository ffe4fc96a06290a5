using KernelGen.Models.Kernels;

namespace KernelGen.Models.Tensors;

/// <summary>
/// One forward (and backward) pass: the tape of operations and the owner of every tensor they make. Operations rent
/// their outputs and saved values from the pool; <see cref="Dispose"/> gives them all back, so a warm training loop
/// creates no buffers. Open one per step, inside the step's <see cref="ComputeBatch"/>:
/// <code>
/// using var graph = new Graph(pool);
/// var loss = CrossEntropy(model.Forward(graph.Input(images, [64, 784])), graph.Labels(labels));
/// loss.Backward();
/// </code>
/// A graph made with <c>recordGradients: false</c> records nothing (evaluation, PyTorch's <c>torch.no_grad()</c>).
/// </summary>
public sealed class Graph : IDisposable
{
    private readonly List<Node> nodes = [];
    private readonly List<GpuBuffer> rented = [];
    private bool disposed;

    public Graph(BufferPool pool, bool recordGradients = true)
    {
        ArgumentNullException.ThrowIfNull(pool);
        Pool = pool;
        RecordsGradients = recordGradients;
    }

    public BufferPool Pool { get; }

    public ComputeDevice Device => Pool.Device;

    /// <summary>False in evaluation: no backward rules are recorded and no tensor requires a gradient.</summary>
    public bool RecordsGradients { get; }

    /// <summary>Training or evaluation behaviour of dropout (set by the training loop from the model's mode).</summary>
    public bool Training { get; init; } = true;

    /// <summary>Seeds this pass's dropout masks; the training loop sets a fresh one per step.</summary>
    public uint Seed { get; init; }

    private uint randomStreams;

    /// <summary>
    /// A fresh index for each random operation of the pass (dropout's mask is a function of the seed and this), so two
    /// dropouts differ even where no node is recorded between them (a graph without gradients, an input without one).
    /// </summary>
    internal uint NextRandomStream() => randomStreams++;

    /// <summary>Operations recorded so far (for tests and the profiler).</summary>
    public int NodeCount => nodes.Count;

    /// <summary>A tensor of input data (images, embeddings), uploaded into a pooled buffer; it needs no gradient.</summary>
    public Tensor Input(ReadOnlySpan<float> values, Shape shape)
    {
        if (values.Length != shape.Count)
            throw new ShapeException("Input", null, $"{values.Length} values do not fill shape {shape} ({shape.Count} elements).");
        var tensor = NewTensor(shape, "input", requiresGrad: false);
        tensor.Buffer.Upload(values);
        return tensor;
    }

    /// <summary>
    /// Integer data (class labels, token ids) in a pooled buffer. Every value must lie in [0, <paramref name="limit"/>)
    /// (the classes or the vocabulary): one that does not is an error naming its index, before anything runs.
    /// </summary>
    public IntTensor Indices(ReadOnlySpan<int> values, Shape shape, int limit, string what = "label")
    {
        if (values.Length != shape.Count)
            throw new ShapeException("Indices", null, $"{values.Length} {what}s do not fill shape {shape} ({shape.Count} elements).");
        for (int i = 0; i < values.Length; i++)
            if ((uint)values[i] >= (uint)limit)
                throw new ArgumentOutOfRangeException(nameof(values), values[i], $"{what} {i} is {values[i]}; {what}s must be in [0, {limit}).");
        var buffer = Rent<int>(values.Length);
        buffer.Upload(values);
        return new IntTensor(shape, buffer, this);
    }

    /// <summary>An output tensor of an operation, in a pooled buffer (holding whatever its last user left).</summary>
    internal Tensor NewTensor(Shape shape, string operation, bool requiresGrad) =>
        new(shape, Rent<float>(shape.Count), this, requiresGrad && RecordsGradients, operation);

    /// <summary>A tensor sharing another's buffer under a new shape (reshape, flatten): no copy.</summary>
    internal Tensor View(Tensor source, Shape shape, bool requiresGrad) =>
        new(shape, source.Buffer, this, requiresGrad && RecordsGradients, "view");

    /// <summary>A buffer the pass needs until it ends (a value saved for backward, a temporary).</summary>
    internal GpuBuffer<T> Rent<T>(int length) where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var buffer = Pool.Rent<T>(length);
        rented.Add(buffer);
        return buffer;
    }

    /// <summary>Records <paramref name="backward"/> (called with d(loss)/d(output)) when the output needs a gradient.</summary>
    internal void Record(Tensor output, Action<Tensor> backward)
    {
        if (output.RequiresGrad) nodes.Add(new Node(output, backward));
    }

    /// <summary>
    /// Adds a contribution to <paramref name="input"/>'s gradient: <paramref name="write"/>(grad, beta) must compute
    /// grad = contribution + beta * grad, which every backward kernel of the library does. beta is 0 for the first
    /// contribution of a pass (the old value is never read) and 1 after, so a tensor used twice (a residual
    /// connection, a shared weight) sums its gradients.
    /// </summary>
    internal void Accumulate(Tensor input, Action<GpuBuffer<float>, float> write)
    {
        if (!input.RequiresGrad) return;
        var grad = GradOf(input);
        write(grad.Buffer, input.HasGrad ? 1f : 0f);
        input.HasGrad = true;
    }

    /// <summary>
    /// Makes <paramref name="buffer"/> (rented from this graph, holding the whole contribution, not written again by
    /// the pass) <paramref name="input"/>'s gradient without a copy, when this is its first contribution and it has
    /// no gradient buffer yet; false otherwise (then accumulate as usual).
    /// </summary>
    internal bool TryAdoptGradient(Tensor input, GpuBuffer<float> buffer)
    {
        if (!input.RequiresGrad || input.HasGrad || input.Grad is not null || input.IsParameter || !ReferenceEquals(input.Graph, this)) return false;
        input.Grad = new Tensor(input.Shape, buffer, this, false, input.Name + ".grad");
        input.HasGrad = true;
        return true;
    }

    /// <summary>
    /// <see cref="Accumulate"/> for a kernel that only overwrites (no beta): a second contribution goes to a
    /// temporary first and is then added.
    /// </summary>
    internal void AccumulateOverwriting(Tensor input, Action<GpuBuffer<float>> write)
    {
        if (!input.RequiresGrad) return;
        var grad = GradOf(input);
        if (!input.HasGrad)
        {
            write(grad.Buffer);
            input.HasGrad = true;
            return;
        }
        var contribution = Rent<float>(input.Shape.Count);
        write(contribution);
        Ops.Axpby(Device, contribution, grad.Buffer, 1f, 1f, input.Shape.Count);
    }

    /// <summary>
    /// The gradient buffers for a kernel that writes several gradients with one beta (layer norm, attention):
    /// inputs whose state matches the first input's get their own gradient buffer; the others, and inputs that need
    /// no gradient, a temporary (added afterwards by <see cref="Finish"/> where a gradient is wanted).
    /// </summary>
    internal GradientSet Gradients(params Tensor[] inputs)
    {
        float beta = inputs[0].RequiresGrad && inputs[0].HasGrad ? 1f : 0f;
        var buffers = new GpuBuffer<float>[inputs.Length];
        var temporary = new bool[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            // A tensor passed twice (attention's q = k = v) gets its own buffer once; its other slots a temporary.
            bool direct = input.RequiresGrad && (input.HasGrad ? 1f : 0f) == beta && Array.IndexOf(inputs, input, 0, i) < 0;
            temporary[i] = !direct;
            buffers[i] = direct ? GradOf(input).Buffer : Rent<float>(input.Shape.Count);
            // The kernel computes buffer = contribution + beta * buffer: a rented temporary holds whatever the pool's
            // last user left, so with beta = 1 it must start at zero (else a pre-norm block's gain and shift, whose
            // input already has a gradient from the residual path, would add stale pool contents to their gradients).
            if (!direct && beta != 0f && input.RequiresGrad) Device.Clear(buffers[i], 0, input.Shape.Count);
        }
        return new GradientSet(inputs, buffers, temporary, beta);
    }

    /// <summary>Adds the temporaries of a <see cref="GradientSet"/> into the gradients that want them.</summary>
    internal void Finish(GradientSet set)
    {
        for (int i = 0; i < set.Inputs.Length; i++)
        {
            var input = set.Inputs[i];
            if (!input.RequiresGrad) continue;
            if (set.Temporary[i]) Ops.Axpby(Device, set.Buffers[i], GradOf(input).Buffer, 1f, input.HasGrad ? 1f : 0f, input.Shape.Count);
            input.HasGrad = true;
        }
    }

    /// <summary>Runs the recorded backward rules from <paramref name="root"/> (a one-element loss), newest first.</summary>
    internal void Backward(Tensor root)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!RecordsGradients) throw new InvalidOperationException("This graph records no gradients (recordGradients: false); there is nothing to back-propagate.");
        if (root.Shape.Count != 1) throw new ShapeException("Backward", null, $"the root must be a one-element loss, not {root.Shape}.");
        if (!root.RequiresGrad) throw new InvalidOperationException("The loss does not depend on any parameter that requires a gradient.");
        // A second pass would add to the intermediates' gradients of the first (their HasGrad is still set).
        if (SeedIsOne is not null) throw new InvalidOperationException("This graph was already back-propagated; build a new Graph for another pass.");
        var seed = GradOf(root);
        seed.Buffer.Upload([1f]);
        root.HasGrad = true;
        SeedIsOne = root;
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            var node = nodes[i];
            if (node.Output.HasGrad) node.Backward(node.Output.Grad!);
        }
    }

    /// <summary>The root of the running backward pass, whose gradient is exactly 1 (cross-entropy skips a multiply).</summary>
    internal Tensor? SeedIsOne { get; private set; }

    private Tensor GradOf(Tensor tensor)
    {
        if (tensor.Grad is null)
        {
            if (tensor.IsParameter) throw new InvalidOperationException($"Parameter '{tensor.Name}' was made without a gradient.");
            tensor.Grad = new Tensor(tensor.Shape, Rent<float>(tensor.Shape.Count), this, false, tensor.Name + ".grad");
        }
        return tensor.Grad;
    }

    /// <summary>Gives every buffer of the pass back to the pool (safe while its work is queued: the device runs in order).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var buffer in rented) Pool.Return(buffer);
        rented.Clear();
        nodes.Clear();
    }

    /// <summary>The first graph among the operands (parameters have none).</summary>
    internal static Graph Of(string operation, params Tensor?[] operands)
    {
        foreach (var t in operands)
            if (t?.Graph is { } graph) return graph;
        throw new InvalidOperationException(
            $"{operation}: every operand is a parameter; make the input with graph.Input(...) so the operation has a graph to record on.");
    }

    private sealed record Node(Tensor Output, Action<Tensor> Backward);
}

/// <summary>The gradient buffers of a multi-output backward kernel; see <see cref="Graph.Gradients"/>.</summary>
internal sealed record GradientSet(Tensor[] Inputs, GpuBuffer<float>[] Buffers, bool[] Temporary, float Beta)
{
    public GpuBuffer<float> this[int i] => Buffers[i];
}
