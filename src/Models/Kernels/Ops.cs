using System.Runtime.CompilerServices;
using KernelGen.WebGpu;

namespace KernelGen.Models.Kernels;

/// <summary>
/// The host side of the kernel library: one method per operation, taking device buffers and their shapes, checking
/// them, choosing a kernel variant by shape and adapter, computing the launch grid, and dispatching. Every call is
/// recorded into the calling thread's open <see cref="ComputeBatch"/>, if any, so a whole training step is one submit.
/// Tensors are row-major and contiguous unless a method says otherwise.
/// </summary>
public static partial class Ops
{
    private static readonly ConditionalWeakTable<ComputeDevice, GpuBuffer<float>> Placeholders = new();

    /// <summary>The most invocations a launch row has: 65535 workgroups of 256.</summary>
    public const uint MaxRowWidth = 65535 * 256;

    /// <summary>
    /// The launch of an elementwise kernel over <paramref name="n"/> elements, <see cref="PointwiseKernels.PerInvocation"/>
    /// per invocation: rowWidth invocations per grid row (at most <paramref name="maxRowWidth"/>), as many rows as
    /// needed; invocation (x, y) handles elements (y * PerInvocation + e) * rowWidth + x.
    /// </summary>
    public static (Grid Grid, uint RowWidth) ElementGrid(int n, uint maxRowWidth = MaxRowWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfZero(maxRowWidth);
        const int per = PointwiseKernels.PerInvocation;
        long invocations = Math.Max(1, ((long)n + per - 1) / per);
        if (invocations <= maxRowWidth) return (new Grid((uint)invocations), (uint)invocations);
        long rows = ((long)n + (long)maxRowWidth * per - 1) / ((long)maxRowWidth * per);
        return (new Grid(maxRowWidth, (uint)rows), maxRowWidth);
    }

    /// <summary>
    /// The launch of a kernel with one invocation per item (a row of softmax or layer norm) over <paramref name="n"/>
    /// items: invocation (x, y) handles item y * rowWidth + x.
    /// </summary>
    public static (Grid Grid, uint RowWidth) InvocationGrid(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (n <= MaxRowWidth) return (new Grid((uint)Math.Max(n, 1)), (uint)Math.Max(n, 1));
        uint rows = (uint)(((long)n + MaxRowWidth - 1) / MaxRowWidth);
        return (new Grid(MaxRowWidth, rows), MaxRowWidth);
    }

    /// <summary>
    /// A one-element buffer bound where a kernel's optional input is absent (a matmul without bias): WebGPU needs a
    /// buffer in every binding. One per device, never written.
    /// </summary>
    public static GpuBuffer<float> Placeholder(ComputeDevice device) =>
        Placeholders.GetValue(device, static d => d.CreateBuffer<float>(1));

    /// <summary>Whether the device is WebGPU on a CPU (lavapipe), where barriers are costly and register blocking pays.</summary>
    public static bool IsSoftwareAdapter(ComputeDevice device) =>
        device.GetWebGpuAdapter() is { AdapterType: WebGpuAdapterType.Cpu };

    internal static void Require(GpuBufferView view, long elements, string name)
    {
        if (view.Buffer is null) throw new ArgumentNullException(name);
        if (view.Length < elements)
            throw new ArgumentException($"{name} has {view.Length} elements; this operation needs at least {elements}.", name);
    }

    internal static void Require(GpuBuffer buffer, long elements, string name)
    {
        ArgumentNullException.ThrowIfNull(buffer, name);
        if (buffer.Length < elements)
            throw new ArgumentException($"{name} has {buffer.Length} elements; this operation needs at least {elements}.", name);
    }

    /// <summary>
    /// Refuses an output that shares its buffer with an input of the same dispatch: WebGPU forbids a writable binding
    /// aliasing another (even a disjoint view of the same buffer), and checking here makes the CPU backend refuse it
    /// the same way. An absent input (null, or a view without a buffer) is skipped.
    /// </summary>
    internal static void Distinct(GpuBufferView output, string outputName, params (GpuBufferView? View, string Name)[] inputs)
    {
        if (output.Buffer is null) return;
        foreach (var (input, name) in inputs)
        {
            if (input is not { Buffer: { } buffer } view || !ReferenceEquals(buffer, output.Buffer)) continue;
            bool overlap = view.Offset < (long)output.Offset + output.Length && output.Offset < (long)view.Offset + view.Length;
            if (overlap)
                throw new ArgumentException($"{outputName} is also passed as {name}: a kernel's output must be a buffer of its own " +
                    $"({outputName} is elements [{output.Offset}, {(long)output.Offset + output.Length}), {name} [{view.Offset}, {(long)view.Offset + view.Length}) of one buffer).", outputName);
            throw new ArgumentException($"{outputName} and {name} are views of one buffer ({outputName} elements [{output.Offset}, " +
                $"{(long)output.Offset + output.Length}), {name} [{view.Offset}, {(long)view.Offset + view.Length})): they do not overlap, but " +
                "WebGPU refuses a written binding that shares its buffer with another binding; use buffers of their own.", outputName);
        }
    }

    /// <summary>A view of an optional operand, null when absent (null, or a view without a buffer: a null buffer converted).</summary>
    internal static GpuBufferView<T>? Present<T>(GpuBufferView<T>? view) where T : unmanaged =>
        view is { Buffer: not null } ? view : null;

    internal static uint Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, "must be positive");
        return (uint)value;
    }
}
