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

    /// <summary>
    /// The outermost open batch of the calling thread on this device: it runs nothing later (every dispatch runs as
    /// it is issued) but counts the dispatches issued while it is open, as a WebGPU batch counts what it records.
    /// </summary>
    private readonly ThreadLocal<ComputeBatch?> openBatch = new();

    private protected override ComputeBatch BeginBatchCore(bool timed)
    {
        if (openBatch.Value is { IsOpen: true } open) return new ComputeBatch(this, timed, outer: open);
        var batch = new ComputeBatch(this, timed, outer: null);
        openBatch.Value = batch;
        return batch;
    }

    internal override void EndBatch(ComputeBatch batch)
    {
        // Submitted from its own thread (the usual case): forget it. From another thread its slot keeps a closed
        // batch, which the next BeginBatch on the owner thread replaces.
        if (!openBatch.IsValueCreated || ReferenceEquals(openBatch.Value, batch)) openBatch.Value = null;
    }

    internal override void DiscardBatch(ComputeBatch batch)
    {
        if (ReferenceEquals(openBatch.Value, batch)) openBatch.Value = null;
    }

    /// <summary>Counts one dispatch in the calling thread's open batch, if any (called for every launch on this device).</summary>
    internal void CountDispatch()
    {
        if (openBatch.Value is { IsOpen: true } batch) batch.DispatchCount++;
    }

    public override Backend Backend => Backend.Cpu;

    public override string Description =>
        $"CPU backend ({Environment.ProcessorCount} cores{(options.Sequential ? ", sequential" : "")})";

    /// <summary>Runs <paramref name="invocation"/> once for every invocation of the launch. Called by generated stubs.</summary>
    public void Run(KernelInfo kernel, Grid grid, Action invocation)
    {
        ThrowIfDisposed();
        var groups = grid.WorkgroupsFor(kernel.WorkgroupSize);
        long groupCount = (long)groups.X * groups.Y * groups.Z;
        if (kernel.UsesBarriers)
        {
            BarrierLaunch.Run(kernel, groups, groupCount, invocation);
            return;
        }
        if (options.Sequential || groupCount == 1)
        {
            var context = new WorkgroupContext();
            for (long g = 0; g < groupCount; g++) RunWorkgroup(kernel, g, groups, invocation, context);
            return;
        }
        try
        {
            // One context per worker thread, reset between its workgroups: no allocation per workgroup.
            Parallel.For(0L, groupCount, () => new WorkgroupContext(),
                (g, _, context) => { RunWorkgroup(kernel, g, groups, invocation, context); return context; }, _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Report the first failing invocation as if the kernel had run sequentially.
            throw e.InnerExceptions[0];
        }
    }

    /// <summary>
    /// True when kernels run as the generator's work-item-loop code (<c>CpuWorkgroup</c>: one call per workgroup,
    /// phased between barriers); false in <see cref="CpuOptions.Sequential"/> mode, where every kernel runs as its
    /// own C# method, once per invocation, so a breakpoint in the kernel stops there.
    /// </summary>
    public bool RunsPhased => !options.Sequential;

    /// <summary>
    /// Runs <paramref name="workgroup"/> once per workgroup of the launch, workgroups in parallel across cores.
    /// Called by generated stubs with their work-item-loop code (<c>CpuWorkgroup</c>). Phased code (a kernel with
    /// barriers) writes each invocation's global id into this thread's ids (<see cref="WorkgroupIds.CurrentGlobalId"/>)
    /// so a failure names the invocation. Barrier-free code does not spend a store per invocation on that: it passes
    /// <paramref name="invocation"/> (the kernel's own method), and a workgroup that fails is run again through it,
    /// invocation by invocation, so the failure names the first invocation that fails there.
    /// </summary>
    public void RunWorkgroups(KernelInfo kernel, Grid grid, Action<WorkgroupIds> workgroup, Action? invocation = null)
    {
        ThrowIfDisposed();
        var size = kernel.WorkgroupSize;
        var groups = grid.WorkgroupsFor(size);
        long groupCount = (long)groups.X * groups.Y * groups.Z;
        void One(long g)
        {
            var id = new UInt3((uint)(g % groups.X), (uint)(g / groups.X % groups.Y), (uint)(g / ((long)groups.X * groups.Y)));
            ref var ids = ref Kernel.CurrentRef;
            ids.Workgroup = id;
            ids.Count = groups;
            ids.Global = new UInt3(id.X * size.X, id.Y * size.Y, id.Z * size.Z);
            try
            {
                workgroup(new WorkgroupIds(id, groups, size));
            }
            catch (Exception e) when (e is not KernelExecutionException)
            {
                if (invocation is not null) throw Replay(kernel, g, groups, invocation, e);
                // The generated code left the failing invocation's global id in the thread's ids; the rest follows.
                var global = Kernel.CurrentRef.Global;
                ids.Local = new UInt3(global.X - id.X * size.X, global.Y - id.Y * size.Y, global.Z - id.Z * size.Z);
                ids.LocalIndex = ids.Local.X + size.X * (ids.Local.Y + size.Y * ids.Local.Z);
                throw Invocation.Failure(kernel, e);
            }
        }
        if (options.Sequential || groupCount == 1)
        {
            for (long g = 0; g < groupCount; g++) One(g);
            return;
        }
        // Workgroups go to the cores in chunks (about 8 per core): a small workgroup (64 saxpy elements) is less
        // work than Parallel.For's own cost per iteration.
        long chunk = Math.Max(1L, groupCount / (Environment.ProcessorCount * 8L));
        long chunks = (groupCount + chunk - 1) / chunk;
        try
        {
            Parallel.For(0L, chunks, c =>
            {
                long end = Math.Min(groupCount, (c + 1) * chunk);
                for (long g = c * chunk; g < end; g++) One(g);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            throw e.InnerExceptions[0];
        }
    }

    /// <summary>
    /// The error for workgroup <paramref name="linearGroup"/>, whose work-item loops threw <paramref name="failure"/>:
    /// the workgroup runs again through the kernel's own method, one invocation at a time with its ids set, and the
    /// first invocation that fails is named. Invocations before it run twice (their writes and atomics happen again);
    /// the launch has failed, so its outputs are undefined anyway. When the second run does not fail (the kernel
    /// read what the first run wrote), the workgroup is named instead.
    /// </summary>
    private static Exception Replay(KernelInfo kernel, long linearGroup, UInt3 groups, Action invocation, Exception failure)
    {
        try
        {
            RunWorkgroup(kernel, linearGroup, groups, invocation, new WorkgroupContext());
        }
        catch (KernelExecutionException exact)
        {
            return exact;
        }
        return new KernelExecutionException(
            $"{kernel.Name} failed on the CPU backend in workgroup {Kernel.Current.Workgroup}: {failure.Message} " +
            "(running that workgroup again one invocation at a time did not fail, so the invocation is not known; " +
            "CpuOptions.Sequential runs every invocation on its own and names it)", failure);
    }

    // The hot loop of barrier-free kernels: the workgroup's ids are computed once, each invocation's by counting
    // (no divisions), and the thread's ids are updated in place rather than rebuilt.
    private static void RunWorkgroup(KernelInfo kernel, long linearGroup, UInt3 groups, Action invocation, WorkgroupContext context)
    {
        context.Reset();
        var size = kernel.WorkgroupSize;
        Invocation.Enter(linearGroup, groups, size, 0, context);
        ref var ids = ref Kernel.CurrentRef;
        var origin = new UInt3(ids.Workgroup.X * size.X, ids.Workgroup.Y * size.Y, ids.Workgroup.Z * size.Z);
        uint index = 0;
        try
        {
            for (uint z = 0; z < size.Z; z++)
            for (uint y = 0; y < size.Y; y++)
            for (uint x = 0; x < size.X; x++)
            {
                ids.Local = new UInt3(x, y, z);
                ids.Global = new UInt3(origin.X + x, origin.Y + y, origin.Z + z);
                ids.LocalIndex = index++;
                WorkgroupContext.BeginInvocation();
                invocation();
            }
        }
        catch (Exception e) when (e is not KernelExecutionException and not OperationCanceledException)
        {
            throw Invocation.Failure(kernel, e);
        }
    }

    public override void Dispatch(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<byte> uniforms) =>
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

    protected override void DisposeCore() => openBatch.Dispose();
}
