using System.Runtime.CompilerServices;
using KernelGen.Native;
using KernelGen.WebGpu;
using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// Checks of the bindings against the running Dawn, beyond layouts: that Dawn writes exactly as many bytes as our
/// output structs have (a larger C struct would overrun ours), and that the callbacks and futures work.
/// </summary>
public unsafe class NativeBehaviourTests
{
    private const byte Sentinel = 0xAB;

    [WebGpuFact]
    public void AdapterGetLimits_writes_exactly_our_Limits()
    {
        var written = WithAdapter(adapter => LastByteWritten(256, p => WebGpuNative.AdapterGetLimits(adapter, (Limits*)p)));
        // maxImmediateSize, the last field, is written even when it is 0, so the last byte Dawn touches ends the struct.
        Assert.Equal(Unsafe.SizeOf<Limits>() - 1, written);
    }

    [WebGpuFact]
    public void AdapterGetInfo_stays_inside_our_AdapterInfo()
    {
        int written = WithAdapter(adapter => LastByteWritten(256, p =>
        {
            var status = WebGpuNative.AdapterGetInfo(adapter, (AdapterInfo*)p);
            Assert.Equal(Status.Success, status);
            var info = *(AdapterInfo*)p;
            Assert.NotEqual(BackendType.Null, info.BackendType);
            Assert.False(string.IsNullOrEmpty(info.Device.ToString()));
            WebGpuNative.AdapterInfoFreeMembers(info);
            return status;
        }));
        Assert.InRange(written, Unsafe.SizeOf<AdapterInfo>() - 8, Unsafe.SizeOf<AdapterInfo>() - 1);
    }

    [WebGpuFact]
    public void Bindings_the_device_does_not_use_yet_work_against_Dawn()
    {
        var backend = WebGpuTestDevice.Adapter.Backend;
        var opened = DeviceOpener.Open(new WebGpuOptions { Backends = [backend] });
        try
        {
            var waiter = new FutureWaiter(opened.Instance, opened.Sink);

            // A mappable buffer: size, then readMappedRange at an offset that is a multiple of 8.
            var descriptor = new BufferDescriptor { Label = StringView.Null, Usage = BufferUsage.MapRead | BufferUsage.CopyDst, Size = 16 };
            var buffer = WebGpuNative.DeviceCreateBuffer(opened.Device, &descriptor);
            Assert.Equal(16UL, WebGpuNative.BufferGetSize(buffer));
            var bytes = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
            fixed (byte* p = bytes) WebGpuNative.QueueWriteBuffer(opened.Queue, buffer, 0, p, 16);
            using (var map = new NativeRequest())
            {
                var future = WebGpuNative.BufferMapAsync(buffer, MapMode.Read, 0, 16, map.CallbackInfo(NativeCallbacks.BufferMap));
                waiter.Wait(future, map, "mapping");
                Assert.Equal(MapAsyncStatus.Success, (MapAsyncStatus)map.Status);
            }
            var read = new byte[8];
            fixed (byte* p = read) Assert.Equal(Status.Success, WebGpuNative.BufferReadMappedRange(buffer, 8, p, 8));
            Assert.Equal(bytes[8..], read);
            WebGpuNative.BufferUnmap(buffer);
            WebGpuNative.BufferDestroy(buffer);
            WebGpuNative.BufferRelease(buffer);
            WebGpuNative.InstanceProcessEvents(opened.Instance);

            // A pipeline with layout "auto": Dawn derives the bind group layout from the WGSL.
            var kernel = new KernelInfo("NativeBehaviourTests.Auto",
                "@group(0) @binding(0) var<storage, read_write> d: array<u32>;\n@compute @workgroup_size(1) fn main() { d[0] = 1u; }",
                1, 1, 1, [BufferAccess.ReadWrite], uniformSize: 0);
            var module = ShaderModules.Create(opened.Device, kernel);
            Assert.DoesNotContain(ShaderModules.CompilationMessages(module, waiter, kernel), m => m.Type == CompilationMessageType.Error);
            fixed (byte* entry = "main"u8)
            {
                var pipelineDescriptor = new ComputePipelineDescriptor
                {
                    Label = StringView.Null,
                    Layout = 0,
                    Compute = { Module = module, EntryPoint = StringView.Of(entry, 4) },
                };
                var pipeline = WebGpuNative.DeviceCreateComputePipeline(opened.Device, &pipelineDescriptor);
                var layout = WebGpuNative.ComputePipelineGetBindGroupLayout(pipeline, 0);
                Assert.NotEqual(0, layout);
                WebGpuNative.BindGroupLayoutRelease(layout);
                WebGpuNative.ComputePipelineRelease(pipeline);
            }
            WebGpuNative.ShaderModuleRelease(module);
            opened.Sink.ThrowIfFailed("the native smoke test");
        }
        finally
        {
            opened.Release();
        }
    }

    private static int LastByteWritten(int bytes, Func<nint, Status> call)
    {
        var buffer = new byte[bytes];
        buffer.AsSpan().Fill(Sentinel);
        fixed (byte* p = buffer)
        {
            *(nint*)p = 0; // nextInChain: Dawn reads it
            call((nint)p);
        }
        return Array.FindLastIndex(buffer, b => b != Sentinel);
    }

    private static T WithAdapter<T>(Func<nint, T> use)
    {
        var backend = DeviceOpener.ToNative(WebGpuTestDevice.Adapter.Backend);
        var instance = DeviceOpener.CreateInstance();
        try
        {
            var (adapter, failure) = DeviceOpener.RequestAdapter(instance, backend);
            Assert.True(adapter != 0, failure);
            try
            {
                return use(adapter);
            }
            finally
            {
                WebGpuNative.AdapterRelease(adapter);
            }
        }
        finally
        {
            WebGpuNative.InstanceRelease(instance);
        }
    }
}
