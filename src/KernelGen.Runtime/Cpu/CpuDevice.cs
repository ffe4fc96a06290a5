namespace KernelGen.Cpu;

/// <summary>
/// The CPU backend: buffers are managed arrays and a kernel runs as its own C# method, once per invocation, with
/// the thread-identity intrinsics set for each. Workgroups run in parallel across cores (or in order, on the
/// calling thread, in <see cref="CpuOptions.Sequential"/> mode for debugging).
/// </summary>
public sealed class CpuDevice : ComputeDevice
{
    private readonly CpuOptions options;

    internal CpuDevice(CpuOptions options) => this.options = options;

    public override Backend Backend => Backend.Cpu;

    public override string Description =>
        $"CPU backend ({Environment.ProcessorCount} cores{(options.Sequential ? ", sequential" : "")})";

    /// <summary>Runs <paramref name="invocation"/> once for every invocation of the launch. Called by generated stubs.</summary>
    public void Run(KernelInfo kernel, Grid grid, Action invocation)
    {
        ThrowIfDisposed();
        var size = kernel.WorkgroupSize;
        var groups = grid.WorkgroupsFor(size);
        long groupCount = (long)groups.X * groups.Y * groups.Z;
        if (options.Sequential || groupCount == 1)
        {
            for (long g = 0; g < groupCount; g++) RunWorkgroup(kernel, g, groups, size, invocation);
            return;
        }
        try
        {
            Parallel.For(0L, groupCount, g => RunWorkgroup(kernel, g, groups, size, invocation));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Report the first failing invocation as if the kernel had run sequentially.
            throw e.InnerExceptions[0];
        }
    }

    private static void RunWorkgroup(KernelInfo kernel, long linearGroup, UInt3 groups, UInt3 size, Action invocation)
    {
        var group = new UInt3(
            (uint)(linearGroup % groups.X),
            (uint)(linearGroup / groups.X % groups.Y),
            (uint)(linearGroup / ((long)groups.X * groups.Y)));
        var ids = new InvocationIds { Workgroup = group, Count = groups };
        uint localIndex = 0;
        for (uint z = 0; z < size.Z; z++)
        for (uint y = 0; y < size.Y; y++)
        for (uint x = 0; x < size.X; x++)
        {
            ids.Local = new UInt3(x, y, z);
            ids.Global = new UInt3(group.X * size.X + x, group.Y * size.Y + y, group.Z * size.Z + z);
            ids.LocalIndex = localIndex++;
            Kernel.Current = ids;
            try
            {
                invocation();
            }
            catch (Exception e) when (e is not KernelExecutionException)
            {
                throw new KernelExecutionException(
                    $"{kernel.Name} failed on the CPU backend in invocation global id {ids.Global} " +
                    $"(workgroup {ids.Workgroup}, local id {ids.Local}): {e.Message}", e);
            }
        }
    }

    public override void Dispatch(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms) =>
        throw new NotSupportedException(
            $"{kernel.Name}: the CPU backend runs kernels through CpuDevice.Run with the kernel's C# method; " +
            "call the generated stub's Dispatch instead of ComputeDevice.Dispatch.");

    public override void Synchronize() => ThrowIfDisposed();

    internal override object Allocate<T>(GpuBuffer<T> buffer) => new T[buffer.Length];

    internal override void Release(GpuBuffer buffer) { }

    internal override void Write(GpuBuffer buffer, int byteOffset, ReadOnlySpan<byte> data) =>
        data.CopyTo(HostBytes(buffer).Slice(byteOffset));

    internal override void ReadBack(GpuBuffer buffer, int byteOffset, Span<byte> destination) =>
        HostBytes(buffer).Slice(byteOffset, destination.Length).CopyTo(destination);

    private static Span<byte> HostBytes(GpuBuffer buffer) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference((Array)buffer.Storage),
            checked((int)buffer.ByteSize));

    protected override void DisposeCore() { }
}
