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

    /// <summary>
    /// The launch of an elementwise kernel over <paramref name="n"/> elements: a row of up to 65535 workgroups of 256
    /// invocations, and as many rows as needed (element = GlobalId.Y * rowWidth + GlobalId.X).
    /// </summary>
    public static (Grid Grid, uint RowWidth) ElementGrid(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        const int maxRow = 65535 * 256;
        if (n <= maxRow) return (new Grid((uint)Math.Max(n, 1)), (uint)Math.Max(n, 1));
        int rows = (n + maxRow - 1) / maxRow;
        return (new Grid(maxRow, (uint)rows), maxRow);
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
