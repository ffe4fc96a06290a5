using System.Runtime.InteropServices;

namespace KernelGen;

// Batching, device-side copies and clears, and launch limits: the parts of ComputeDevice every backend shares.
public abstract partial class ComputeDevice
{
    /// <summary>
    /// Opens a <see cref="ComputeBatch"/> on the calling thread: until it is submitted (or disposed), the dispatches,
    /// copies and clears this thread issues on this device are recorded and then submitted at once.
    /// </summary>
    /// <param name="timed">
    /// Measure each dispatch's GPU time with timestamp queries (<see cref="ComputeBatch.Timings"/>); each dispatch
    /// then gets its own compute pass, and submitting waits for the results. For benchmarks. Ignored (no timings)
    /// where <see cref="SupportsGpuTimestamps"/> is false.
    /// </param>
    /// <example><code>
    /// using (device.BeginBatch())
    /// {
    ///     for (int i = 0; i &lt; 100; i++) Ops.SaxpyKernel.Dispatch(device, n, x, y, a[i], (uint)n);
    /// }                      // one submit; nothing waited for yet
    /// float[] result = y.Read(); // waits for the batch
    /// </code></example>
    public ComputeBatch BeginBatch(bool timed = false)
    {
        ThrowIfDisposed();
        return BeginBatchCore(timed);
    }

    /// <summary>The default (CPU backend): nothing to record, every operation runs as it is issued.</summary>
    private protected virtual ComputeBatch BeginBatchCore(bool timed) => new(this, timed, outer: null);

    /// <summary>Submits an outermost batch; called once, by <see cref="ComputeBatch.Submit"/>.</summary>
    internal virtual void EndBatch(ComputeBatch batch) { }

    /// <summary>Closes an outermost batch without submitting what it recorded; called once, by <see cref="ComputeBatch.Discard"/>.</summary>
    internal virtual void DiscardBatch(ComputeBatch batch) { }

    /// <summary>Whether timed batches report GPU times on this device (WebGPU adapters with timestamp queries).</summary>
    public virtual bool SupportsGpuTimestamps => false;

    /// <summary>
    /// The most workgroups one dispatch may have along each axis: the adapter's <c>maxComputeWorkgroupsPerDimension</c>
    /// on WebGPU, and WebGPU's guaranteed 65535 on the CPU backend (so what runs there also runs on any GPU).
    /// </summary>
    public virtual uint MaxWorkgroupsPerDimension => KernelLaunch.MaxWorkgroupsPerDimension;

    /// <summary>
    /// A view a kernel binds (<see cref="GpuBufferView{T}"/>) must start at a multiple of this many bytes: the
    /// adapter's <c>minStorageBufferOffsetAlignment</c> on WebGPU, and 256, the most WebGPU allows an adapter to ask
    /// for, on the CPU backend (so what runs there also runs on any GPU).
    /// </summary>
    public virtual uint StorageOffsetAlignment => 256;

    /// <summary>
    /// The workgroups a launch of <paramref name="grid"/> invocations needs (each axis rounded up to whole workgroups
    /// of the kernel's size); throws <see cref="KernelLaunchException"/> when an axis exceeds
    /// <see cref="MaxWorkgroupsPerDimension"/>, naming the axis, the count and the limit.
    /// </summary>
    public UInt3 WorkgroupsFor(KernelInfo kernel, Grid grid)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var size = kernel.WorkgroupSize;
        var groups = new UInt3(Groups(grid.X, size.X), Groups(grid.Y, size.Y), Groups(grid.Z, size.Z));
        uint max = MaxWorkgroupsPerDimension;
        if (groups.X > max || groups.Y > max || groups.Z > max)
        {
            string axis = groups.X > max ? "X" : groups.Y > max ? "Y" : "Z";
            throw new KernelLaunchException(
                $"{kernel.Name}: launch {grid} needs {groups} workgroups of {kernel.WorkgroupSize}: {axis} exceeds this " +
                $"device's maxComputeWorkgroupsPerDimension ({max}). Spread the work over a 2D/3D grid " +
                "(e.g. index = GlobalId.Y * width + GlobalId.X) or loop inside the kernel.");
        }
        return groups;
    }

    /// <summary>Invocations to workgroups, rounded up; 32-bit arithmetic (this runs before every dispatch).</summary>
    private static uint Groups(uint invocations, uint size)
    {
        if (size <= 1) return invocations;
        if ((size & (size - 1)) == 0) // the usual power-of-two workgroup: a shift, no division
        {
            int shift = System.Numerics.BitOperations.TrailingZeroCount(size);
            return (invocations >> shift) + ((invocations & (size - 1)) != 0 ? 1u : 0u);
        }
        var (quotient, remainder) = Math.DivRem(invocations, size);
        return remainder == 0 ? quotient : quotient + 1;
    }

    /// <summary>Copies all of <paramref name="source"/> to the start of <paramref name="destination"/>, on the device.</summary>
    public void Copy<T>(GpuBuffer<T> source, GpuBuffer<T> destination) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        Copy(source, 0, destination, 0, source.Length);
    }

    /// <summary>
    /// Copies <paramref name="count"/> elements on the device (recorded into the calling thread's open batch, if
    /// any, in order with its dispatches). Source and destination may be the same buffer if the ranges do not overlap.
    /// </summary>
    public void Copy<T>(GpuBuffer<T> source, int sourceOffset, GpuBuffer<T> destination, int destinationOffset, int count)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ThrowIfDisposed();
        CheckOwned(source, nameof(source));
        CheckOwned(destination, nameof(destination));
        CheckRange(source, sourceOffset, count, nameof(sourceOffset));
        CheckRange(destination, destinationOffset, count, nameof(destinationOffset));
        if (ReferenceEquals(source, destination) && sourceOffset < destinationOffset + count && destinationOffset < sourceOffset + count)
            throw new ArgumentException($"Copying {source} onto itself with overlapping ranges is not supported.", nameof(destinationOffset));
        if (count == 0) return;
        int size = source.ElementSize;
        CopyCore(source, (long)sourceOffset * size, destination, (long)destinationOffset * size, (long)count * size);
    }

    /// <summary>
    /// Copies all of the view <paramref name="source"/> to the start of the view <paramref name="destination"/>, on
    /// the device (recorded into an open batch). Views of one buffer may be copied if they do not overlap.
    /// </summary>
    public void Copy<T>(GpuBufferView<T> source, GpuBufferView<T> destination) where T : unmanaged
    {
        var from = source.Buffer ?? throw new ArgumentNullException(nameof(source), "The source view has no buffer.");
        var to = destination.Buffer ?? throw new ArgumentNullException(nameof(destination), "The destination view has no buffer.");
        if (source.Length > destination.Length)
            throw new ArgumentException($"{source} has {source.Length} elements; {destination} holds only {destination.Length}.", nameof(destination));
        Copy(from, source.Offset, to, destination.Offset, source.Length);
    }

    /// <summary>Sets the elements of <paramref name="view"/> to zero, on the device (recorded into an open batch).</summary>
    public void Clear<T>(GpuBufferView<T> view) where T : unmanaged
    {
        var buffer = view.Buffer ?? throw new ArgumentNullException(nameof(view), "The view has no buffer.");
        Clear(buffer, view.Offset, view.Length);
    }

    /// <summary>Sets every byte of <paramref name="buffer"/> to zero, on the device (recorded into an open batch).</summary>
    public void Clear(GpuBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ThrowIfDisposed();
        CheckOwned(buffer, nameof(buffer));
        ClearCore(buffer, 0, buffer.ByteSize);
    }

    /// <summary>Sets elements [<paramref name="offset"/>, + <paramref name="count"/>) of <paramref name="buffer"/> to zero.</summary>
    public void Clear<T>(GpuBuffer<T> buffer, int offset, int count) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ThrowIfDisposed();
        CheckOwned(buffer, nameof(buffer));
        CheckRange(buffer, offset, count, nameof(offset));
        if (count == 0) return;
        ClearCore(buffer, (long)offset * buffer.ElementSize, (long)count * buffer.ElementSize);
    }

    /// <summary>The default: both buffers' host arrays (CPU backend), else a round trip through the host.</summary>
    private protected virtual void CopyCore(GpuBuffer source, long sourceByteOffset, GpuBuffer destination, long destinationByteOffset, long bytes)
    {
        if (source.Storage is Array from && destination.Storage is Array to)
        {
            HostBytes(from, source.ByteSize).Slice((int)sourceByteOffset, (int)bytes)
                .CopyTo(HostBytes(to, destination.ByteSize).Slice((int)destinationByteOffset, (int)bytes));
            return;
        }
        var staging = new byte[bytes];
        ReadBack(source, checked((int)sourceByteOffset), staging);
        Write(destination, checked((int)destinationByteOffset), staging);
    }

    /// <summary>The default: the host array (CPU backend), else zeros written from the host.</summary>
    private protected virtual void ClearCore(GpuBuffer buffer, long byteOffset, long bytes)
    {
        if (buffer.Storage is Array array)
        {
            HostBytes(array, buffer.ByteSize).Slice((int)byteOffset, (int)bytes).Clear();
            return;
        }
        Write(buffer, checked((int)byteOffset), new byte[bytes]);
    }

    private static Span<byte> HostBytes(Array array, long byteSize) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), checked((int)byteSize));

    private void CheckOwned(GpuBuffer buffer, string parameter)
    {
        buffer.ThrowIfDisposed();
        if (!ReferenceEquals(buffer.Device, this))
            throw new ArgumentException($"{buffer} belongs to another device ({buffer.Device.Description}).", parameter);
    }

    private static void CheckRange(GpuBuffer buffer, int offset, int count, string parameter)
    {
        if (offset < 0 || count < 0 || (long)offset + count > buffer.Length)
            throw new ArgumentOutOfRangeException(parameter,
                $"Elements [{offset}, {(long)offset + count}) do not fit in {buffer} (length {buffer.Length}).");
    }
}
