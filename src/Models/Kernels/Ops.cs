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

    internal static void Require(GpuBuffer buffer, long elements, string name)
    {
        ArgumentNullException.ThrowIfNull(buffer, name);
        if (buffer.Length < elements)
            throw new ArgumentException($"{name} has {buffer.Length} elements; this operation needs at least {elements}.", name);
    }

    /// <summary>
    /// Refuses an output that is also an input of the same dispatch: WebGPU forbids a writable binding aliasing
    /// another, and checking here makes the CPU backend refuse it the same way.
    /// </summary>
    internal static void Distinct(GpuBuffer output, string outputName, params (GpuBuffer? Buffer, string Name)[] inputs)
    {
        foreach (var (buffer, name) in inputs)
            if (ReferenceEquals(buffer, output))
                throw new ArgumentException($"{outputName} is also passed as {name}: a kernel's output must be a buffer of its own.", outputName);
    }

    internal static uint Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, "must be positive");
        return (uint)value;
    }
}
