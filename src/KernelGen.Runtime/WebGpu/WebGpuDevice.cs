using System.Runtime.CompilerServices;
using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// The WebGPU backend on Dawn. Buffers are native storage buffers. Outside a batch each dispatch, copy or clear is
/// its own submit; inside a <see cref="ComputeBatch"/> they are recorded by the thread's <see cref="BatchRecorder"/>
/// and submitted once. Nothing waits until a read-back or <see cref="Synchronize"/>.
/// </summary>
/// <remarks>
/// Thread safety: every native call runs under one lock, so a device may be shared between threads (Dawn's
/// objects are not meant for concurrent use). Batches belong to the thread that began them: another thread's
/// dispatches never land in them.
/// </remarks>
internal sealed unsafe partial class WebGpuDevice : ComputeDevice
{
    /// <summary>Bytes of the uniform ring: 4096 dispatches of 256-byte slots per submit before a batch submits early.</summary>
    internal static int DefaultUniformRingBytes { get; set; } = 1 << 20;

    private readonly Lock gate = new();
    private readonly OpenedDevice native;
    private readonly StagingReader reader;
    private readonly Dictionary<KernelInfo, KernelPipeline> pipelines = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<NativeBuffer> liveBuffers = [];
    /// <summary>Each thread's recorder on this device, by managed thread id (under the lock).</summary>
    private readonly Dictionary<int, BatchRecorder> recorders = [];

    /// <summary>The calling thread's most recently used recorder, of whichever device: the fast path of every dispatch.</summary>
    [ThreadStatic]
    private static BatchRecorder? threadRecorder;
    private readonly BatchRecorder immediate;
    private readonly bool timestamps;
    /// <summary>The adapter's limit, read once: every dispatch checks it (twice for a stub's).</summary>
    private readonly uint maxWorkgroups;
    /// <summary><c>native.Sink</c>, one load nearer (every dispatch asks it whether the device was lost).</summary>
    private readonly DeviceErrorSink sink;

    private WebGpuDevice(OpenedDevice native)
    {
        this.native = native;
        Waiter = new FutureWaiter(native.Instance, native.Sink);
        reader = new StagingReader(native.Device, native.Queue, Waiter, native.Sink);
        Adapter = native.Info;
        maxWorkgroups = Adapter.Limits.MaxComputeWorkgroupsPerDimension;
        sink = native.Sink;
        UniformRingBytes = DefaultUniformRingBytes;
        var descriptor = new BufferDescriptor
        {
            Label = StringView.Null,
            Usage = BufferUsage.Uniform | BufferUsage.CopyDst,
            Size = (ulong)UniformRingBytes,
        };
        UniformRing = WebGpuNative.DeviceCreateBuffer(native.Device, &descriptor);
        immediate = new BatchRecorder(this);
        timestamps = WebGpuNative.DeviceHasFeature(native.Device, FeatureName.TimestampQuery) != 0;
        try
        {
            Sink.ThrowIfFailed("Creating the uniform ring");
        }
        catch
        {
            DisposeCore();
            throw;
        }
    }

    /// <summary>Opens a device on the first backend of <paramref name="options"/> that has a real adapter.</summary>
    /// <exception cref="WebGpuUnavailableException">No adapter: the message says what to install.</exception>
    public static ComputeDevice Create(WebGpuOptions options) => new WebGpuDevice(DeviceOpener.Open(options));

    public override Backend Backend => Backend.WebGpu;

    public override string Description => Adapter.ToString();

    /// <summary>The adapter: name, backend, device type, driver and the limits the device was opened with.</summary>
    public WebGpuAdapterInfo Adapter { get; }

    public override bool SupportsGpuTimestamps => timestamps;

    public override uint MaxWorkgroupsPerDimension => maxWorkgroups;

    internal DeviceErrorSink Sink => sink;

    internal FutureWaiter Waiter { get; }

    /// <summary>The native WGPUDevice, for tests that act on it directly (e.g. force a device loss).</summary>
    internal nint NativeDevice => native.Device;

    internal nint NativeQueue => native.Queue;

    /// <summary>The uniform buffer every dispatch's scalar parameters are bound from, at a dynamic offset.</summary>
    internal nint UniformRing { get; }

    internal int UniformRingBytes { get; }

    /// <summary>Pipelines compiled so far (tests look at their bind group caches).</summary>
    internal IReadOnlyCollection<KernelPipeline> Pipelines
    {
        get { lock (gate) return pipelines.Values.ToArray(); }
    }

    internal override object Allocate<T>(GpuBuffer<T> buffer)
    {
        // Writes and copies move whole 4-byte words, so the native buffer is rounded up (and never empty).
        ulong size = Math.Max(4, ((ulong)buffer.ByteSize + 3) & ~3UL);
        var limits = Adapter.Limits;
        if (size > limits.MaxStorageBufferBindingSize || size > limits.MaxBufferSize)
            throw new WebGpuException(
                $"{buffer} needs {size} bytes, more than this device binds as one storage buffer " +
                $"(maxStorageBufferBindingSize {limits.MaxStorageBufferBindingSize}, maxBufferSize {limits.MaxBufferSize}). " +
                "Split the data across several buffers.");
        lock (gate)
        {
            ThrowIfDisposed();
            var descriptor = new BufferDescriptor
            {
                Label = StringView.Null,
                Usage = BufferUsage.Storage | BufferUsage.CopySrc | BufferUsage.CopyDst,
                Size = size,
            };
            var handle = WebGpuNative.DeviceCreateBuffer(native.Device, &descriptor);
            try
            {
                Sink.ThrowIfFailed($"Creating {buffer} ({size} bytes)");
            }
            catch
            {
                WebGpuNative.BufferRelease(handle);
                throw;
            }
            var stored = new NativeBuffer(handle, size);
            liveBuffers.Add(stored);
            return stored;
        }
    }

    /// <summary>
    /// Drops the buffer's cached bind groups and releases the handle. No destroy: work still recorded in an open
    /// batch (or queued) holds its own reference, and Dawn frees the memory once that work is done.
    /// </summary>
    internal override void Release(GpuBuffer buffer)
    {
        lock (gate)
        {
            if (buffer.Storage is not NativeBuffer stored || stored.IsReleased) return;
            liveBuffers.Remove(stored);
            var handle = stored.TakeHandle();
            EncodePending(); // recorded dispatches may use the bind groups Forget releases
            foreach (var pipeline in pipelines.Values) pipeline.Forget(handle);
            WebGpuNative.BufferRelease(handle);
        }
    }

    internal override void Write(GpuBuffer buffer, int byteOffset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        lock (gate)
        {
            var stored = Live(buffer, "Writing to");
            bool aligned = (byteOffset & 3) == 0 && (data.Length & 3) == 0;
            if (aligned && CallersRecorder() is { } recorder)
            {
                // Inside a batch: recorded as a copy from staging memory, in order with the batch's dispatches.
                recorder.RecordUpload(stored.Handle, (ulong)byteOffset, data);
                return;
            }
            SubmitCallersBatch(); // queue writes run before unsubmitted work: keep program order
            string what = $"Writing {data.Length} bytes to {buffer}";
            if (aligned)
            {
                fixed (byte* bytes = data)
                    WebGpuNative.QueueWriteBuffer(native.Queue, stored.Handle, (ulong)byteOffset, bytes, (nuint)data.Length);
            }
            else
            {
                WriteUnaligned(buffer, stored, byteOffset, data, what);
            }
            Sink.ThrowIfFailed(what);
        }
    }

    /// <summary>
    /// Queue writes move whole 4-byte words: widen the range to words, keeping the bytes around the data that
    /// belong to the buffer (read back first) and padding the rest with zeros.
    /// </summary>
    private void WriteUnaligned(GpuBuffer buffer, NativeBuffer stored, int byteOffset, ReadOnlySpan<byte> data, string what)
    {
        int start = byteOffset & ~3;
        int end = (byteOffset + data.Length + 3) & ~3;
        var words = new byte[end - start];
        int head = byteOffset - start;
        if (head > 0) reader.Read(stored, start, words.AsSpan(0, head), what);
        int dataEnd = byteOffset + data.Length;
        int tailEnd = (int)Math.Min(end, buffer.ByteSize);
        if (tailEnd > dataEnd) reader.Read(stored, dataEnd, words.AsSpan(dataEnd - start, tailEnd - dataEnd), what);
        data.CopyTo(words.AsSpan(head));
        fixed (byte* bytes = words)
            WebGpuNative.QueueWriteBuffer(native.Queue, stored.Handle, (ulong)start, bytes, (nuint)words.Length);
    }

    internal override void ReadBack(GpuBuffer buffer, int byteOffset, Span<byte> destination)
    {
        if (destination.IsEmpty) return;
        lock (gate)
        {
            var stored = Live(buffer, "Reading from");
            SubmitCallersBatch(); // a read inside a batch sees what the batch recorded before it
            reader.Read(stored, byteOffset, destination, $"Reading {destination.Length} bytes back from {buffer}");
        }
    }

    public override uint StorageOffsetAlignment => Math.Max(1u, Adapter.Limits.MinStorageBufferOffsetAlignment);

    public override void Dispatch(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<byte> uniforms) =>
        Dispatch(kernel, grid, buffers, uniforms, LaunchChecks.Device);

    internal override void DispatchValidated(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<byte> uniforms) =>
        Dispatch(kernel, grid, buffers, uniforms, LaunchChecks.AfterValidate);

    /// <summary><see cref="DispatchValidated"/> without the virtual call (<see cref="KernelLaunch.Dispatch"/> calls it).</summary>
    internal void DispatchChecked(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<byte> uniforms) =>
        Dispatch(kernel, grid, buffers, uniforms, LaunchChecks.AfterValidate);

    /// <summary>A generated stub's launch (<see cref="KernelLaunch.Launch"/>): <c>Validate</c>'s checks and the dispatch in one.</summary>
    internal void Launch(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<byte> uniforms) =>
        Dispatch(kernel, grid, buffers, uniforms, LaunchChecks.Stub);

    /// <summary>Which checks a dispatch makes when its views differ from the kernel's previous dispatch.</summary>
    private enum LaunchChecks
    {
        /// <summary><see cref="Dispatch(KernelInfo, Grid, ReadOnlySpan{GpuBufferView}, ReadOnlySpan{byte})"/>: all of them, the device's way (a disposed buffer is an <see cref="ObjectDisposedException"/>).</summary>
        Device,
        /// <summary><see cref="KernelLaunch.Dispatch"/>: the stub's <c>Validate</c> checked the strides and the launch size just before.</summary>
        AfterValidate,
        /// <summary><see cref="KernelLaunch.Launch"/>: <c>Validate</c> itself first (its messages), then what only the device checks (aliasing).</summary>
        Stub,
    }

    /// <summary>
    /// Every dispatch. The views of the kernel's previous dispatch, repeated, take a fast path
    /// (<see cref="KernelPipeline.TryLastBindGroup"/>): only the device and each buffer are checked to be alive,
    /// since every other check (count, device, ranges, aliasing, strides) passed for exactly these buffers and ranges
    /// then, and a buffer's device, length and element size never change. Anything else is checked as
    /// <paramref name="checks"/> says. Each dispatch is measured in tenths of a microsecond.
    /// </summary>
    private void Dispatch(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<byte> uniforms, LaunchChecks checks)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (uniforms.Length != kernel.UniformSize) ThrowUniformSize(kernel, uniforms.Length);
        lock (gate)
        {
            KernelPipeline pipeline;
            nint bindGroup;
            UInt3 groups;
            if (kernel.PipelineCache is KernelPipeline cached && cached.Owner == this && !IsDisposed && cached.TryLastBindGroup(buffers, out bindGroup))
            {
                pipeline = cached;
                sink.ThrowIfLost(kernel.Name);
                groups = pipeline.WorkgroupsFor(grid, this); // checks the limit for a launch size not seen last time
                // Strides that KernelLaunch.Dispatch took on trust are checked once by any caller that did not check them.
                if (checks != LaunchChecks.AfterValidate && !pipeline.LastStridesChecked)
                {
                    pipeline.Bindings.Check(kernel, buffers, []);
                    pipeline.LastStridesChecked = true;
                }
            }
            else
            {
                if (checks == LaunchChecks.Stub) KernelLaunch.Validate(kernel, this, grid, buffers);
                else ThrowIfDisposed();
                sink.ThrowIfLost(kernel.Name);
                groups = WorkgroupsFor(kernel, grid); // the launch is checked before its buffers, as in Validate
                (pipeline, bindGroup) = CheckAndBind(kernel, buffers, checkStrides: checks == LaunchChecks.Device,
                    stridesChecked: checks != LaunchChecks.AfterValidate);
            }
            var recorder = CallersRecorder() ?? immediate;
            recorder.RecordDispatch(pipeline, bindGroup, uniforms, groups);
            if (recorder == immediate) immediate.Submit();
        }
    }

    /// <summary>Out of line: the message's formatting would otherwise take room in every dispatch's frame.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUniformSize(KernelInfo kernel, int got) =>
        throw new KernelLaunchException($"{kernel.Name}: got {got} bytes of scalar parameters, its uniform block has {kernel.UniformSize}.");

    /// <summary>
    /// The checks of a dispatch whose views differ from the kernel's previous one (count, liveness, device, ranges,
    /// aliasing; the strides when <paramref name="checkStrides"/>), then its pipeline and bind group, remembered for
    /// the next dispatch with whether the strides were checked (by <paramref name="stridesChecked"/>'s caller or here).
    /// Under the lock.
    /// </summary>
    [SkipLocalsInit] // the room for the bindings is written before it is read: zeroing it is wasted
    private (KernelPipeline, nint) CheckAndBind(KernelInfo kernel, ReadOnlySpan<GpuBufferView> buffers, bool checkStrides, bool stridesChecked)
    {
        if (buffers.Length != KernelLaunch.BufferCount(kernel))
            throw new KernelLaunchException($"{kernel.Name}: got {buffers.Length} buffers, the kernel binds {kernel.Buffers.Count}.");
        // An inline array rather than stackalloc: no zeroing (above), and the method stays eligible for tiered
        // compilation with profile-guided optimization (a method with stackalloc is compiled once, unprofiled).
        Unsafe.SkipInit(out EightBindings room);
        Span<BufferBinding> bindings = buffers.Length <= EightBindings.Count ? ((Span<BufferBinding>)room)[..buffers.Length] : new BufferBinding[buffers.Length];
        for (int i = 0; i < buffers.Length; i++)
        {
            var view = buffers[i];
            var buffer = view.Buffer;
            bool whole = view.IsWhole;
            if (!whole || !ReferenceEquals(buffer!.Device, this))
                KernelLaunch.CheckBinding(kernel, this, view, [], i);
            var handle = Live(buffer!, kernel).Handle;
            // A whole buffer binds as it always did (WholeSize); a view binds its range. A view that reaches the
            // end of its buffer takes the native buffer's rounding to 4 bytes with it.
            bindings[i] = whole
                ? new BufferBinding(handle, 0, BindGroupEntry.WholeSize)
                : new BufferBinding(handle, (ulong)view.ByteOffset,
                    (long)view.Offset + view.Length == buffer!.Length ? ((ulong)view.ByteSize + 3) & ~3UL : (ulong)view.ByteSize);
        }
        var pipeline = kernel.PipelineCache is KernelPipeline cached && cached.Owner == this ? cached : PipelineFor(kernel);
        pipeline.CheckAliasing(bindings, buffers);
        if (checkStrides) pipeline.Bindings.Check(kernel, buffers, []);
        EncodePending(); // a new bind group may push the least recently used one out, and recorded dispatches may use it
        var bindGroup = pipeline.BindGroupFor(native.Device, bindings, UniformRing);
        pipeline.RememberLast(buffers, bindGroup, stridesChecked);
        return (pipeline, bindGroup);
    }

    private KernelPipeline PipelineFor(KernelInfo kernel)
    {
        if (!pipelines.TryGetValue(kernel, out var pipeline))
        {
            uint alignment = Math.Clamp(Adapter.Limits.MinUniformBufferOffsetAlignment, 16u, 256u);
            pipeline = KernelPipeline.Create(native.Device, Waiter, Sink, kernel, alignment);
            pipeline.Owner = this;
            pipelines.Add(kernel, pipeline);
        }
        kernel.PipelineCache = pipeline; // most programs have one device: the next dispatch skips the lookup
        return pipeline;
    }

    private protected override ComputeBatch BeginBatchCore(bool timed)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            var recorder = RecorderOf(Thread.CurrentThread);
            if (recorder?.Batch is { IsOpen: true } open) return new ComputeBatch(this, timed, outer: open);
            if (recorder == null)
            {
                // A recorder under this id belonged to a thread that has ended (ids are reused): drop it.
                if (recorders.Remove(Environment.CurrentManagedThreadId, out var stale)) stale.Dispose();
                recorder = new BatchRecorder(this) { Thread = Thread.CurrentThread };
                recorders[Environment.CurrentManagedThreadId] = recorder;
            }
            threadRecorder = recorder;
            var batch = new ComputeBatch(this, timed, outer: null) { State = recorder };
            recorder.Batch = batch;
            return batch;
        }
    }

    internal override void EndBatch(ComputeBatch batch)
    {
        lock (gate)
        {
            if (IsDisposed || batch.State is not BatchRecorder recorder || recorder.Batch != batch) return;
            try
            {
                recorder.Submit();
            }
            finally
            {
                recorder.Batch = null;
            }
        }
    }

    internal override void DiscardBatch(ComputeBatch batch)
    {
        lock (gate)
        {
            if (IsDisposed || batch.State is not BatchRecorder recorder || recorder.Batch != batch) return;
            recorder.Abandon();
            recorder.Batch = null;
        }
    }

    /// <summary>
    /// Has every recorder encode the dispatches it noted (<see cref="BatchRecorder.Flush"/>), which hold bind groups
    /// and pipelines by handle only: call it under the lock before releasing any of them.
    /// </summary>
    private void EncodePending()
    {
        foreach (var recorder in recorders.Values) recorder.Flush();
        immediate.Flush();
    }

    /// <summary>The recorder of the calling thread's open batch, or null.</summary>
    private BatchRecorder? CallersRecorder()
    {
        var recorder = threadRecorder;
        if (recorder == null || recorder.Device != this)
        {
            recorder = RecorderOf(Thread.CurrentThread);
            if (recorder == null) return null;
            threadRecorder = recorder;
        }
        return recorder.Batch != null ? recorder : null;
    }

    /// <summary>The recorder of <paramref name="thread"/> on this device, or null (also when its id was a dead thread's).</summary>
    private BatchRecorder? RecorderOf(Thread thread) =>
        recorders.TryGetValue(thread.ManagedThreadId, out var recorder) && recorder.Thread == thread ? recorder : null;

    /// <summary>Submits what the calling thread's open batch recorded so far; the batch stays open.</summary>
    private void SubmitCallersBatch()
    {
        if (CallersRecorder() is { HasWork: true } recorder) recorder.Submit();
    }

    private protected override void CopyCore(GpuBuffer source, long sourceByteOffset, GpuBuffer destination, long destinationByteOffset, long bytes)
    {
        if (((sourceByteOffset | destinationByteOffset | bytes) & 3) != 0)
        {
            base.CopyCore(source, sourceByteOffset, destination, destinationByteOffset, bytes); // through the host
            return;
        }
        lock (gate)
        {
            var from = Live(source, "Copying from");
            var to = Live(destination, "Copying to");
            var recorder = CallersRecorder() ?? immediate;
            if (from.Handle == to.Handle)
            {
                // WebGPU copies between two buffers only: go through a scratch buffer, which the recorded commands
                // keep alive after it is released here.
                var descriptor = new BufferDescriptor { Label = StringView.Null, Usage = BufferUsage.CopySrc | BufferUsage.CopyDst, Size = (ulong)bytes };
                var scratch = WebGpuNative.DeviceCreateBuffer(native.Device, &descriptor);
                recorder.RecordCopy(from.Handle, (ulong)sourceByteOffset, scratch, 0, (ulong)bytes);
                recorder.RecordCopy(scratch, 0, to.Handle, (ulong)destinationByteOffset, (ulong)bytes);
                WebGpuNative.BufferRelease(scratch);
            }
            else
            {
                recorder.RecordCopy(from.Handle, (ulong)sourceByteOffset, to.Handle, (ulong)destinationByteOffset, (ulong)bytes);
            }
            if (recorder == immediate) immediate.Submit();
        }
    }

    private protected override void ClearCore(GpuBuffer buffer, long byteOffset, long bytes)
    {
        lock (gate)
        {
            var stored = Live(buffer, "Clearing");
            // The native buffer is padded to 4 bytes, so a clear that runs to the end may round its size up.
            if (byteOffset + bytes == buffer.ByteSize) bytes = (long)stored.Size - byteOffset;
            if (((byteOffset | bytes) & 3) == 0)
            {
                var recorder = CallersRecorder() ?? immediate;
                recorder.RecordClear(stored.Handle, (ulong)byteOffset, (ulong)bytes);
                if (recorder == immediate) immediate.Submit();
                return;
            }
        }
        base.ClearCore(buffer, byteOffset, Math.Min(bytes, buffer.ByteSize - byteOffset));
    }

    /// <summary>Submits the calling thread's open batch so far, then blocks until all submitted work has finished.</summary>
    public override void Synchronize()
    {
        lock (gate)
        {
            ThrowIfDisposed();
            SubmitCallersBatch();
            using var request = new NativeRequest();
            var future = WebGpuNative.QueueOnSubmittedWorkDone(native.Queue, request.CallbackInfo(NativeCallbacks.QueueWorkDone));
            Waiter.Wait(future, request, "Waiting for the submitted work");
            Sink.ThrowIfFailed("Waiting for the submitted work");
            if ((RequestStatus)request.Status != RequestStatus.Success)
                throw new WebGpuException($"Waiting for the submitted work failed ({(RequestStatus)request.Status}): {request.Message}");
        }
    }

    private NativeBuffer Live(GpuBuffer buffer, string action)
    {
        ThrowIfDisposed();
        buffer.ThrowIfDisposed();
        if (buffer.Storage is not NativeBuffer stored || stored.IsReleased)
            throw new WebGpuException($"{action} {buffer}: its native buffer is gone (the device was disposed).");
        return stored;
    }

    /// <summary><see cref="Live(GpuBuffer, string)"/> for a dispatch's binding, building no message unless it fails.</summary>
    private NativeBuffer Live(GpuBuffer buffer, KernelInfo kernel)
    {
        if (!buffer.IsDisposed && buffer.Storage is NativeBuffer { IsReleased: false } stored) return stored;
        return Live(buffer, $"{kernel.Name}: binding");
    }

    protected override void DisposeCore()
    {
        lock (gate)
        {
            FailPendingRequests(); // their Tasks fault now instead of waiting for a device that is going away
            // Batches still open are dropped unsubmitted: their device is going away.
            foreach (var recorder in recorders.Values) recorder.Dispose();
            recorders.Clear();
            if (threadRecorder?.Device == this) threadRecorder = null;
            immediate?.Dispose();
            foreach (var (kernel, pipeline) in pipelines)
            {
                if (kernel.PipelineCache == pipeline) kernel.PipelineCache = null;
                pipeline.Dispose();
            }
            pipelines.Clear();
            reader.Dispose();
            if (UniformRing != 0)
            {
                WebGpuNative.BufferDestroy(UniformRing);
                WebGpuNative.BufferRelease(UniformRing);
            }
            // Buffers still referenced by GpuBuffer objects: free the memory now; their later Dispose is a no-op.
            foreach (var buffer in liveBuffers)
            {
                var handle = buffer.TakeHandle();
                WebGpuNative.BufferDestroy(handle);
                WebGpuNative.BufferRelease(handle);
            }
            liveBuffers.Clear();
            native.Release();
        }
    }
}
