using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// The WebGPU backend on Dawn. Buffers are native storage buffers; each dispatch is one compute pass in its own
/// submit, and nothing waits until a read-back or <see cref="Synchronize"/>. Every operation takes one lock, so a
/// device may be shared between threads (Dawn's objects are not meant for concurrent use).
/// </summary>
internal sealed unsafe class WebGpuDevice : ComputeDevice
{
    private readonly Lock gate = new();
    private readonly OpenedDevice native;
    private readonly FutureWaiter waiter;
    private readonly StagingReader reader;
    private readonly Dictionary<KernelInfo, KernelPipeline> pipelines = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<NativeBuffer> liveBuffers = [];

    private WebGpuDevice(OpenedDevice native)
    {
        this.native = native;
        waiter = new FutureWaiter(native.Instance, native.Sink);
        reader = new StagingReader(native.Device, native.Queue, waiter, native.Sink);
        Adapter = native.Info;
    }

    /// <summary>Opens a device on the first backend of <paramref name="options"/> that has a real adapter.</summary>
    /// <exception cref="WebGpuUnavailableException">No adapter: the message says what to install.</exception>
    public static ComputeDevice Create(WebGpuOptions options) => new WebGpuDevice(DeviceOpener.Open(options));

    public override Backend Backend => Backend.WebGpu;

    public override string Description => Adapter.ToString();

    /// <summary>The adapter: name, backend, device type, driver and the limits the device was opened with.</summary>
    public WebGpuAdapterInfo Adapter { get; }

    private DeviceErrorSink Sink => native.Sink;

    /// <summary>The native WGPUDevice, for tests that act on it directly (e.g. force a device loss).</summary>
    internal nint NativeDevice => native.Device;

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
                if (handle != 0) WebGpuNative.BufferRelease(handle);
                throw;
            }
            var stored = new NativeBuffer(handle, size);
            liveBuffers.Add(stored);
            return stored;
        }
    }

    internal override void Release(GpuBuffer buffer)
    {
        lock (gate)
        {
            if (buffer.Storage is not NativeBuffer stored || stored.IsReleased) return;
            liveBuffers.Remove(stored);
            DestroyBuffer(stored.TakeHandle());
        }
    }

    internal override void Write(GpuBuffer buffer, int byteOffset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        lock (gate)
        {
            var stored = Live(buffer, "Writing to");
            string what = $"Writing {data.Length} bytes to {buffer}";
            if ((byteOffset & 3) == 0 && (data.Length & 3) == 0)
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
            reader.Read(stored, byteOffset, destination, $"Reading {destination.Length} bytes back from {buffer}");
        }
    }

    public override void Dispatch(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (buffers.Length != kernel.Buffers.Count)
            throw new KernelLaunchException($"{kernel.Name}: got {buffers.Length} buffers, the kernel binds {kernel.Buffers.Count}.");
        if (uniforms.Length != kernel.UniformSize)
            throw new KernelLaunchException($"{kernel.Name}: got {uniforms.Length} bytes of scalar parameters, its uniform block has {kernel.UniformSize}.");
        lock (gate)
        {
            ThrowIfDisposed();
            Sink.ThrowIfLost(kernel.Name);
            var stored = new NativeBuffer[buffers.Length];
            for (int i = 0; i < buffers.Length; i++)
            {
                if (!ReferenceEquals(buffers[i].Device, this))
                    throw new KernelLaunchException($"{kernel.Name}: buffer {i} ({buffers[i]}) belongs to another device ({buffers[i].Device.Description}).");
                stored[i] = Live(buffers[i], $"{kernel.Name}: binding");
            }
            var pipeline = PipelineFor(kernel);
            var bindGroup = pipeline.BindGroupFor(native.Device, stored);
            if (pipeline.UniformBuffer != 0) WriteUniforms(pipeline.UniformBuffer, uniforms);

            var groups = grid.WorkgroupsFor(kernel.WorkgroupSize);
            var encoder = WebGpuNative.DeviceCreateCommandEncoder(native.Device, null);
            var pass = WebGpuNative.CommandEncoderBeginComputePass(encoder, null);
            WebGpuNative.ComputePassEncoderSetPipeline(pass, pipeline.Pipeline);
            WebGpuNative.ComputePassEncoderSetBindGroup(pass, 0, bindGroup, 0, null);
            WebGpuNative.ComputePassEncoderDispatchWorkgroups(pass, groups.X, groups.Y, groups.Z);
            WebGpuNative.ComputePassEncoderEnd(pass);
            var commands = WebGpuNative.CommandEncoderFinish(encoder, null);
            WebGpuNative.QueueSubmit(native.Queue, 1, &commands);
            WebGpuNative.CommandBufferRelease(commands);
            WebGpuNative.ComputePassEncoderRelease(pass);
            WebGpuNative.CommandEncoderRelease(encoder);
            Sink.ThrowIfFailed($"{kernel.Name}: dispatching {groups} workgroups of {kernel.WorkgroupSize}");
        }
    }

    private void WriteUniforms(nint uniformBuffer, ReadOnlySpan<byte> uniforms)
    {
        // Queue writes need a multiple of 4 bytes; the uniform buffer is a multiple of 16.
        int padded = (uniforms.Length + 3) & ~3;
        Span<byte> bytes = padded <= 256 ? stackalloc byte[padded] : new byte[padded];
        bytes.Clear();
        uniforms.CopyTo(bytes);
        fixed (byte* p = bytes)
            WebGpuNative.QueueWriteBuffer(native.Queue, uniformBuffer, 0, p, (nuint)padded);
    }

    private KernelPipeline PipelineFor(KernelInfo kernel)
    {
        if (!pipelines.TryGetValue(kernel, out var pipeline))
        {
            pipeline = KernelPipeline.Create(native.Device, waiter, Sink, kernel);
            pipelines.Add(kernel, pipeline);
        }
        return pipeline;
    }

    public override void Synchronize()
    {
        lock (gate)
        {
            ThrowIfDisposed();
            using var request = new NativeRequest();
            var future = WebGpuNative.QueueOnSubmittedWorkDone(native.Queue, request.CallbackInfo(NativeCallbacks.QueueWorkDone));
            waiter.Wait(future, request, "Waiting for the submitted work");
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

    private static void DestroyBuffer(nint handle)
    {
        if (handle == 0) return;
        WebGpuNative.BufferDestroy(handle);
        WebGpuNative.BufferRelease(handle);
    }

    protected override void DisposeCore()
    {
        lock (gate)
        {
            foreach (var pipeline in pipelines.Values) pipeline.Dispose();
            pipelines.Clear();
            reader.Dispose();
            // Buffers still referenced by GpuBuffer objects: free the memory now; their later Dispose is a no-op.
            foreach (var buffer in liveBuffers) DestroyBuffer(buffer.TakeHandle());
            liveBuffers.Clear();
            native.Release();
        }
    }
}
