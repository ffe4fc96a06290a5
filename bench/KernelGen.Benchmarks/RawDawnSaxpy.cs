using KernelGen.Samples;
using KernelGen.Native;
using KernelGen.WebGpu;

namespace KernelGen.Benchmarks;

/// <summary>
/// The baseline of the overhead benchmark: the same Saxpy dispatches as the generated stub, encoded with direct
/// Dawn calls and nothing else (the stub's pipeline and a bind group made once, its own uniform ring, one pass,
/// per dispatch: the uniform bytes into the host copy of the ring, SetBindGroup with a dynamic offset,
/// DispatchWorkgroups).
/// </summary>
internal sealed unsafe class RawDawnSaxpy : IDisposable
{
    private const int RingBytes = 1 << 20;

    private readonly WebGpuDevice device;
    private readonly KernelPipeline pipeline;
    private readonly nint ring;
    private readonly nint bindGroup;
    private readonly byte[] hostRing = new byte[RingBytes];
    private readonly int slot;

    public RawDawnSaxpy(ComputeDevice device, GpuBuffer<float> x, GpuBuffer<float> y)
    {
        this.device = (WebGpuDevice)device;
        uint alignment = Math.Clamp(this.device.Adapter.Limits.MinUniformBufferOffsetAlignment, 16u, 256u);
        pipeline = KernelPipeline.Create(this.device.NativeDevice, this.device.Waiter, this.device.Sink,
            ElementwiseKernels.SaxpyKernel.Info, alignment);
        slot = pipeline.UniformSlotSize;
        var descriptor = new BufferDescriptor { Label = StringView.Null, Usage = BufferUsage.Uniform | BufferUsage.CopyDst, Size = RingBytes };
        ring = WebGpuNative.DeviceCreateBuffer(this.device.NativeDevice, &descriptor);
        bindGroup = pipeline.BindGroupFor(this.device.NativeDevice, [BufferBinding.Whole(((NativeBuffer)x.Storage).Handle), BufferBinding.Whole(((NativeBuffer)y.Storage).Handle)], ring);
    }

    /// <summary>Encodes <paramref name="count"/> dispatches of <paramref name="n"/> invocations; submits them or drops them.</summary>
    public void Encode(int count, uint n, bool submit)
    {
        uint groups = (n + 63) / 64;
        var encoder = WebGpuNative.DeviceCreateCommandEncoder(device.NativeDevice, null);
        var pass = WebGpuNative.CommandEncoderBeginComputePass(encoder, null);
        WebGpuNative.ComputePassEncoderSetPipeline(pass, pipeline.Pipeline);
        fixed (byte* host = hostRing)
        {
            for (int i = 0; i < count; i++)
            {
                uint offset = (uint)(i * slot);
                *(float*)(host + offset) = 1f + i;
                *(uint*)(host + offset + 4) = n;
                WebGpuNative.ComputePassEncoderSetBindGroup(pass, 0, bindGroup, 1, &offset);
                WebGpuNative.ComputePassEncoderDispatchWorkgroups(pass, groups, 1, 1);
            }
            WebGpuNative.ComputePassEncoderEnd(pass);
            WebGpuNative.ComputePassEncoderRelease(pass);
            var commands = WebGpuNative.CommandEncoderFinish(encoder, null);
            WebGpuNative.CommandEncoderRelease(encoder);
            if (submit)
            {
                WebGpuNative.QueueWriteBuffer(device.NativeQueue, ring, 0, host, (nuint)(count * slot));
                WebGpuNative.QueueSubmit(device.NativeQueue, 1, &commands);
            }
            WebGpuNative.CommandBufferRelease(commands);
        }
    }

    /// <summary>Blocks until the queue is idle (OnSubmittedWorkDone), as Synchronize does.</summary>
    public void Wait()
    {
        using var request = new NativeRequest();
        var future = WebGpuNative.QueueOnSubmittedWorkDone(device.NativeQueue, request.CallbackInfo(NativeCallbacks.QueueWorkDone));
        device.Waiter.Wait(future, request, "raw wait");
    }

    public void Dispose()
    {
        WebGpuNative.BufferDestroy(ring); // the bind group is the pipeline's (its cache releases it)
        WebGpuNative.BufferRelease(ring);
        pipeline.Dispose();
    }
}
