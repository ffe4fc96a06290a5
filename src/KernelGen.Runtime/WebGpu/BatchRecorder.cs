using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// Records dispatches, copies and clears into one command encoder and submits them at once. A device has one
/// recorder per thread that has opened a batch (reused by that thread's later batches) and one for operations
/// issued outside any batch, which it submits after each. Every method runs under the device's lock.
/// </summary>
/// <remarks>
/// Scalar parameters go into a host copy of the device's uniform ring, one aligned slot per dispatch, bound with a
/// dynamic offset. At submit the ring is written with one queue write and the command buffer submitted right
/// after: the queue runs writes and submits in order, so the same ring serves every submit (of any thread) without
/// one overwriting the slots of work still queued.
/// Dispatches are noted and encoded in runs (<see cref="Flush"/>); the noted ones hold their pipeline and bind group
/// by handle only, so the device has every recorder flush before it releases a bind group.
/// </remarks>
internal sealed unsafe class BatchRecorder(WebGpuDevice device) : IDisposable
{
    private const int MaxNamedKernels = 8;

    private nint encoder;
    private nint pass;
    private nint passPipeline;
    private byte[] uniforms = new byte[1024];
    private int uniformBytes;
    private int recorded;
    private readonly List<string> kernelNames = [];
    private KernelPipeline? lastNamed;
    private GpuTimer? timer;
    private readonly List<(string Kernel, UInt3 Workgroups)> timed = [];
    private UploadArena? uploads;
    private readonly int ringBytes = device.UniformRingBytes;

    public WebGpuDevice Device => device;

    /// <summary>The thread whose batches this recorder records (null for the device's immediate recorder).</summary>
    public Thread? Thread { get; init; }

    /// <summary>The open outermost batch this recorder records for; null for the device's immediate recorder.</summary>
    public ComputeBatch? Batch
    {
        get => batch;
        set
        {
            batch = value;
            timedBatch = value is { IsTimed: true } && device.SupportsGpuTimestamps;
        }
    }

    private ComputeBatch? batch;
    private bool timedBatch;

    public bool HasWork => encoder != 0 || pendingCount != 0;

    /// <summary>
    /// Dispatches recorded but not yet encoded: <see cref="RecordDispatch"/> only notes them, and <see cref="Flush"/>
    /// makes their native calls in one loop before anything else is encoded (a copy, a clear, a timed pass, the end
    /// of the batch, a bind group released). A method that makes native calls sets up a native-call frame each time
    /// it is called; the stub that inlines RecordDispatch would pay that once per dispatch, the loop pays it once per run.
    /// </summary>
    private Pending[] pending = new Pending[64];
    private int pendingCount;

    /// <summary>At most this many dispatches wait to be encoded (kernels without scalar parameters use no ring slots).</summary>
    private const int MaxPending = 4096;

    private readonly record struct Pending(nint Pipeline, nint BindGroup, uint Offset, bool HasUniforms, UInt3 Groups);

    public void RecordDispatch(KernelPipeline pipeline, nint bindGroup, ReadOnlySpan<byte> uniformBlock, UInt3 groups)
    {
        int slot = pipeline.UniformSlotSize;
        bool isTimed = timedBatch;
        if (HasWork && (uniformBytes + slot > ringBytes || (isTimed && timed.Count == GpuTimer.Capacity)))
            Submit(); // the ring (or the query set) is full: submit what is recorded, keep recording
        uint offset = (uint)uniformBytes;
        if (slot > 0)
        {
            if (uniforms.Length < uniformBytes + slot) GrowUniforms(slot);
            // Only the bound bytes matter: the block, then its padding to 16 (usually none). The rest of the slot is
            // alignment that no binding reads, so it is left as it is.
            var destination = uniforms.AsSpan(uniformBytes, pipeline.UniformBindingSize);
            uniformBlock.CopyTo(destination);
            if (uniformBlock.Length < destination.Length) destination[uniformBlock.Length..].Clear();
            uniformBytes += slot;
        }
        var dispatch = new Pending(pipeline.Pipeline, bindGroup, offset, slot > 0, groups);
        if (isTimed)
        {
            RecordTimed(pipeline, dispatch);
        }
        else
        {
            if (pendingCount == pending.Length) MakeRoom();
            pending[pendingCount++] = dispatch;
        }
        recorded++;
        if (batch != null) batch.DispatchCount++;
        if (!ReferenceEquals(lastNamed, pipeline))
        {
            lastNamed = pipeline;
            Name(pipeline.Kernel.Name);
        }
    }

    /// <summary>Encodes the dispatches recorded so far (into the open compute pass, or a new one).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public void Flush()
    {
        if (pendingCount == 0) return;
        EnsureEncoder();
        if (pass == 0) pass = WebGpuNative.CommandEncoderBeginComputePass(encoder, null);
        for (int i = 0; i < pendingCount; i++) Encode(pending[i]);
        pendingCount = 0;
    }

    private void Encode(in Pending dispatch)
    {
        if (passPipeline != dispatch.Pipeline)
        {
            WebGpuNative.ComputePassEncoderSetPipeline(pass, dispatch.Pipeline);
            passPipeline = dispatch.Pipeline;
        }
        if (dispatch.HasUniforms)
        {
            uint offset = dispatch.Offset;
            WebGpuNative.ComputePassEncoderSetBindGroup(pass, 0, dispatch.BindGroup, 1, &offset);
        }
        else
        {
            WebGpuNative.ComputePassEncoderSetBindGroup(pass, 0, dispatch.BindGroup, 0, null);
        }
        WebGpuNative.ComputePassEncoderDispatchWorkgroups(pass, dispatch.Groups.X, dispatch.Groups.Y, dispatch.Groups.Z);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void MakeRoom()
    {
        if (pending.Length < MaxPending) Array.Resize(ref pending, pending.Length * 2);
        else Flush();
    }

    // The rare parts of RecordDispatch, out of line: it is inlined into every dispatch, and these would take room in
    // its frame (locals the prolog zeroes) on every call.

    /// <summary>A timed batch gives each dispatch a pass of its own, with timestamp writes around it, encoded at once.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void RecordTimed(KernelPipeline pipeline, in Pending dispatch)
    {
        EndPass(); // encodes what is pending first
        EnsureEncoder();
        timer ??= new GpuTimer(device.NativeDevice, device.Sink);
        var writes = timer.WritesFor(timed.Count);
        var descriptor = new ComputePassDescriptor { Label = StringView.Null, TimestampWrites = &writes };
        pass = WebGpuNative.CommandEncoderBeginComputePass(encoder, &descriptor);
        timed.Add((pipeline.Kernel.Name, dispatch.Groups));
        Encode(dispatch);
        EndPass();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void GrowUniforms(int slot) =>
        Array.Resize(ref uniforms, Math.Min(Math.Max(uniforms.Length * 2, uniformBytes + slot), ringBytes));

    /// <summary>Offsets and size are multiples of 4.</summary>
    public void RecordCopy(nint source, ulong sourceOffset, nint destination, ulong destinationOffset, ulong size)
    {
        EnsureEncoder();
        EndPass();
        WebGpuNative.CommandEncoderCopyBufferToBuffer(encoder, source, sourceOffset, destination, destinationOffset, size);
        Name("copy");
    }

    /// <summary>
    /// Records an upload of <paramref name="data"/> (offset and length multiples of 4) as a copy from staging memory,
    /// so it lands in order with the recorded dispatches and needs no early submit.
    /// </summary>
    public void RecordUpload(nint destination, ulong destinationOffset, ReadOnlySpan<byte> data)
    {
        uploads ??= new UploadArena(device);
        var (staging, offset) = uploads.Stage(data);
        RecordCopy(staging, offset, destination, destinationOffset, (ulong)data.Length);
        Name("upload");
    }

    /// <summary>Offset and size are multiples of 4.</summary>
    public void RecordClear(nint buffer, ulong offset, ulong size)
    {
        EnsureEncoder();
        EndPass();
        WebGpuNative.CommandEncoderClearBuffer(encoder, buffer, offset, size);
        Name("clear");
    }

    /// <summary>
    /// Submits everything recorded (uniform ring first, then the command buffer) and starts afresh; nothing waits,
    /// except in a timed batch, which reads its timestamps back.
    /// </summary>
    public void Submit()
    {
        if (!HasWork) return;
        EndPass(); // encodes what is pending first
        EnsureEncoder();
        int timedCount = timed.Count;
        if (timedCount > 0) timer!.EncodeResolve(encoder, timedCount);
        string what = Describe();
        uploads?.Seal(); // a staging buffer must be unmapped before a submitted copy reads it
        var commands = WebGpuNative.CommandEncoderFinish(encoder, null);
        WebGpuNative.CommandEncoderRelease(encoder);
        encoder = 0;
        if (uniformBytes > 0)
        {
            fixed (byte* bytes = uniforms)
                WebGpuNative.QueueWriteBuffer(device.NativeQueue, device.UniformRing, 0, bytes, (nuint)uniformBytes);
        }
        WebGpuNative.QueueSubmit(device.NativeQueue, 1, &commands);
        WebGpuNative.CommandBufferRelease(commands);
        uploads?.Release(); // the submitted copies hold their own references until they have run
        uniformBytes = 0;
        recorded = 0;
        kernelNames.Clear();
        lastNamed = null;
        var timedDispatches = timed.ToArray();
        timed.Clear();
        if (Batch != null) Batch.SubmitCount++;
        device.Sink.ThrowIfFailed(what);
        if (timedCount > 0)
        {
            var nanoseconds = timer!.Read(timedCount, device.Waiter, device.Sink);
            for (int i = 0; i < timedCount; i++)
                Batch?.AddTiming(new DispatchTiming(timedDispatches[i].Kernel, timedDispatches[i].Workgroups, nanoseconds[i]));
        }
    }

    /// <summary>Drops whatever is recorded without submitting it (a discarded batch, or the device is going away).</summary>
    public void Abandon()
    {
        // End and finish properly: Dawn treats an encoder released mid-pass as an error and formats a message for
        // every command it held, which costs more than recording them did.
        EndPass(); // encodes what is pending first: dropped work costs what recording it did before
        if (encoder != 0)
        {
            var commands = WebGpuNative.CommandEncoderFinish(encoder, null);
            WebGpuNative.CommandBufferRelease(commands);
            WebGpuNative.CommandEncoderRelease(encoder);
            encoder = 0;
        }
        uploads?.Release();
        uniformBytes = 0;
        recorded = 0;
        timed.Clear();
        kernelNames.Clear();
        lastNamed = null;
    }

    private void EnsureEncoder()
    {
        if (encoder == 0) encoder = WebGpuNative.DeviceCreateCommandEncoder(device.NativeDevice, null);
    }

    private void EndPass()
    {
        Flush();
        if (pass == 0) return;
        WebGpuNative.ComputePassEncoderEnd(pass);
        WebGpuNative.ComputePassEncoderRelease(pass);
        pass = 0;
        passPipeline = 0;
    }

    private void Name(string kernel)
    {
        if (kernelNames.Count > 0 && ReferenceEquals(kernelNames[^1], kernel)) return;
        if (kernelNames.Count <= MaxNamedKernels && !kernelNames.Contains(kernel)) kernelNames.Add(kernel);
    }

    private string Describe()
    {
        var names = string.Join(", ", kernelNames.Take(MaxNamedKernels)) + (kernelNames.Count > MaxNamedKernels ? ", ..." : "");
        return recorded == 1 && kernelNames.Count == 1
            ? $"{kernelNames[0]}: dispatching it"
            : $"Submitting {(Batch != null ? "a batch of " : "")}{recorded} dispatches ({names})";
    }

    public void Dispose()
    {
        Abandon();
        timer?.Dispose();
        timer = null;
    }
}
