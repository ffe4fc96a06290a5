using System.Diagnostics;
using System.Numerics;
using KernelGen.Native;
using KernelGen.WebGpu;
using Xunit;

namespace KernelGen.Tests;

/// <summary>Long loops leak nothing; disposal, use after dispose and bad launches fail clearly.</summary>
[Collection(nameof(NativeHandleCounting))]
public class LeakTests
{
    [WebGpuFact]
    public void Ten_thousand_dispatches_leave_native_handles_and_memory_where_they_were()
    {
        var device = WebGpuTestDevice.Device;
        using var x = device.CreateBuffer<float>(Enumerable.Repeat(1f, 256).ToArray());
        var y = device.CreateBuffer<float>(256);

        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (i % 100 == 0)
                {
                    // A fresh buffer now and then: its bind groups must go with it.
                    y.Dispose();
                    y = device.CreateBuffer<float>(256);
                }
                if (i % 200 < 100)
                {
                    TestKernels.DispatchSaxpy(device, x, y, 1, 256); // a submit each
                }
                else if (i % 100 == 0)
                {
                    using var batch = device.BeginBatch();       // 100 per submit
                    for (int k = 0; k < 100; k++) TestKernels.DispatchSaxpy(device, x, y, 1, 256);
                    i += 99;
                }
                if (i % 1000 == 999) Assert.Equal(y.Read()[0], y.Read()[255]);
            }
            device.Synchronize();
        }

        Run(1000); // warm-up: pipelines, staging, Dawn's own pools
        var before = NativeHandles.Snapshot();
        long managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long residentBefore = Process.GetCurrentProcess().WorkingSet64;

        Run(10_000);
        var after = NativeHandles.Snapshot();
        long managedGrowth = GC.GetTotalMemory(forceFullCollection: true) - managedBefore;
        long residentGrowth = Process.GetCurrentProcess().WorkingSet64 - residentBefore;
        y.Dispose();

        foreach (var (kind, live) in before)
            Assert.True(after[kind] == live, $"{kind}: {live} live before the loop, {after[kind]} after");
        Assert.True(managedGrowth < 2 << 20, $"the managed heap grew by {managedGrowth} bytes");
        Assert.True(residentGrowth < 64 << 20, $"the process grew by {residentGrowth} bytes");
    }

    [WebGpuFact]
    public void Disposing_a_buffer_releases_its_cached_bind_groups()
    {
        var device = WebGpuTestDevice.Device;
        long bindGroups = NativeHandles.Live(NativeObjectKind.BindGroup);
        var data = device.CreateBuffer<float>(4);
        TestKernels.DispatchStore(device, data, 0, 1);
        Assert.Equal(bindGroups + 1, NativeHandles.Live(NativeObjectKind.BindGroup));
        data.Dispose();
        Assert.Equal(bindGroups, NativeHandles.Live(NativeObjectKind.BindGroup));
    }

    [WebGpuFact]
    public void A_buffer_nobody_disposed_releases_its_native_buffer_when_collected()
    {
        var device = WebGpuTestDevice.Device;
        long before = NativeHandles.Live(NativeObjectKind.Buffer);
        ForgetBuffers(device, 20);
        Assert.Equal(before + 20, NativeHandles.Live(NativeObjectKind.Buffer));
        for (int i = 0; i < 3 && NativeHandles.Live(NativeObjectKind.Buffer) > before; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.Equal(before, NativeHandles.Live(NativeObjectKind.Buffer));
        using var next = device.CreateBuffer<float>(1);
        TestKernels.DispatchStore(device, next, 0, 1); // the device carries on
        Assert.Equal([1f], next.Read());
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ForgetBuffers(ComputeDevice device, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var buffer = device.CreateBuffer<float>(16);
            TestKernels.DispatchStore(device, buffer, 0, i); // with a cached bind group, which must go too
        }
    }

    [WebGpuFact]
    public void A_disposed_device_releases_every_native_object_it_made()
    {
        long before = NativeHandles.TotalLive;
        var device = ComputeDevice.OpenWebGpu();
        var a = device.CreateBuffer<float>(64);
        var b = device.CreateBuffer<float>(64);
        TestKernels.DispatchSaxpy(device, a, b, 1, 64);
        var open = device.BeginBatch(timed: true);
        TestKernels.DispatchSaxpy(device, a, b, 1, 64);  // recorded, never submitted
        Assert.Equal(0f, b.Read()[0]);                   // submits the batch so far (and creates its timer)
        TestKernels.DispatchSaxpy(device, a, b, 1, 64);
        Assert.True(NativeHandles.TotalLive > before);
        device.Dispose();
        Assert.Equal(before, NativeHandles.TotalLive);
        open.Dispose();
        a.Dispose();
    }
}

public class DisposalTests
{
    [WebGpuFact]
    public void Disposing_twice_is_harmless_for_buffers_batches_pools_and_devices()
    {
        var device = ComputeDevice.OpenWebGpu();
        var buffer = device.CreateBuffer<float>(4);
        var batch = device.BeginBatch();
        var pool = new BufferPool(device);
        buffer.Dispose();
        buffer.Dispose();
        batch.Dispose();
        batch.Dispose();
        pool.Dispose();
        pool.Dispose();
        device.Dispose();
        device.Dispose();
        Assert.True(device.IsDisposed && buffer.IsDisposed && !batch.IsOpen);
    }

    [WebGpuFact]
    public void Using_a_disposed_buffer_throws_ObjectDisposedException_naming_it()
    {
        var device = WebGpuTestDevice.Device;
        var buffer = device.CreateBuffer<float>(3);
        using var other = device.CreateBuffer<float>(3);
        buffer.Dispose();
        var read = Assert.Throws<ObjectDisposedException>(() => buffer.Read());
        Assert.Contains("This buffer was disposed", read.Message);
        Assert.Contains("GpuBuffer<Single>[3]", read.Message);
        Assert.Throws<ObjectDisposedException>(() => buffer.Upload([1f]));
        Assert.Throws<ObjectDisposedException>(() => device.Copy(buffer, other));
        Assert.Throws<ObjectDisposedException>(() => device.Clear(buffer));
        Assert.Throws<ObjectDisposedException>(() => device.Dispatch(TestKernels.Store, 1, [buffer], new byte[8]));
        // Through a stub: refused before dispatch, naming the parameter.
        var stub = Assert.Throws<KernelLaunchException>(() => TestKernels.DispatchStore(device, buffer, 0, 1));
        Assert.Contains("'data'", stub.Message);
        Assert.Contains("was disposed", stub.Message);
    }

    [WebGpuFact]
    public void Using_a_disposed_device_throws_ObjectDisposedException()
    {
        var device = ComputeDevice.OpenWebGpu();
        var buffer = device.CreateBuffer<float>(4);
        device.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => device.CreateBuffer<float>(4));
        Assert.Contains("This device was disposed", e.Message);
        Assert.Throws<ObjectDisposedException>(() => device.BeginBatch());
        Assert.Throws<ObjectDisposedException>(device.Synchronize);
        Assert.Throws<ObjectDisposedException>(() => buffer.Read());
        Assert.Throws<ObjectDisposedException>(() => device.Dispatch(TestKernels.Store, 1, [buffer], new byte[8]));
        Assert.Throws<KernelLaunchException>(() => TestKernels.DispatchStore(device, buffer, 0, 1));
        buffer.Dispose();
    }

    [WebGpuFact]
    public void A_read_back_of_a_buffer_still_being_written_waits_for_the_writer()
    {
        var device = WebGpuTestDevice.Device;
        const int n = 1 << 15;
        const uint rounds = 3000; // ~100M steps: long enough to be running when the read starts
        var start = Enumerable.Range(0, n).Select(i => (uint)i).ToArray();
        using var data = device.CreateBuffer<uint>(start);
        using (device.BeginBatch())
        {
            TestKernels.DispatchSpin(device, data, rounds);
            TestKernels.DispatchSpin(device, data, 1);
        }
        var result = data.Read(); // submitted, not waited for: the read must wait
        for (int i = 0; i < n; i += 101)
            Assert.Equal(TestKernels.SpinOnHost(TestKernels.SpinOnHost(start[i], rounds), 1), result[i]);
    }

    [WebGpuFact]
    public void A_timed_read_back_shows_it_waited_for_a_long_kernel()
    {
        var device = WebGpuTestDevice.Device;
        if (!device.SupportsGpuTimestamps) return;
        using var data = device.CreateBuffer<uint>(1 << 15);
        ComputeBatch batch;
        using (batch = device.BeginBatch(timed: true)) TestKernels.DispatchSpin(device, data, 500);
        Assert.True(batch.Timings[0].Nanoseconds > 1_000_000, $"the kernel took only {batch.Timings[0]}");
    }
}

public class LaunchCheckTests
{
    private static readonly string[] OneName = ["data"];
    private static readonly string[] TwoNames = ["v", "sum"];

    public static TheoryData<string> Backends => new() { "cpu", "webgpu" };

    private static ComputeDevice DeviceFor(string backend) =>
        backend == "cpu" ? ComputeDevice.OpenCpu() : WebGpuTestDevice.Device;

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_wrong_number_of_buffers_is_refused_before_dispatch(string backend)
    {
        if (backend == "webgpu" && WebGpuTestDevice.SkipReason != null) return;
        var device = DeviceFor(backend);
        using var a = device.CreateBuffer<float>(4);
        var e = Assert.Throws<KernelLaunchException>(() => KernelLaunch.Validate(TestKernels.Store, device, 1, [a, a], ["data", "extra"]));
        Assert.Contains("got 2 buffers, the kernel binds 1", e.Message);
        Assert.Contains(TestKernels.Store.Name, e.Message);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_buffer_whose_element_size_differs_from_the_WGSL_stride_is_refused(string backend)
    {
        if (backend == "webgpu" && WebGpuTestDevice.SkipReason != null) return;
        var device = DeviceFor(backend);
        using var floats = device.CreateBuffer<float>(4);
        using var vector3s = device.CreateBuffer<Vector3>(4);
        using var sum = device.CreateBuffer<float>(1);
        var e = Assert.Throws<KernelLaunchException>(() => KernelLaunch.Validate(TestKernels.SumVec4, device, 1, [floats, sum], TwoNames));
        Assert.Contains("'v'", e.Message);
        Assert.Contains("4-byte elements", e.Message);
        Assert.Contains("array<vec4<f32>>", e.Message);
        Assert.Contains("16 bytes apart", e.Message);
        var v3 = Assert.Throws<KernelLaunchException>(() => KernelLaunch.Validate(TestKernels.SumVec4, device, 1, [vector3s, sum], TwoNames));
        Assert.Contains("12-byte elements", v3.Message);
        using var vector4s = device.CreateBuffer<Vector4>([new Vector4(1, 2, 3, 4)]);
        KernelLaunch.Validate(TestKernels.SumVec4, device, 1, [vector4s, sum], TwoNames); // the right size passes
    }

    [WebGpuFact]
    public void The_device_itself_refuses_wrong_element_sizes_fixed_arrays_too_small_and_aliasing()
    {
        var device = WebGpuTestDevice.Device;
        using var floats = device.CreateBuffer<float>(4);
        using var sum = device.CreateBuffer<float>(1);
        Assert.Throws<KernelLaunchException>(() => device.Dispatch(TestKernels.SumVec4, 1, [floats, sum], []));
        var small = Assert.Throws<KernelLaunchException>(() => device.Dispatch(TestKernels.Fixed16, 1, [floats], []));
        Assert.Contains("fixed-size array of 16 f32 (64 bytes)", small.Message);
        var alias = Assert.Throws<KernelLaunchException>(() => device.Dispatch(TestKernels.Saxpy, 4, [floats, floats], new byte[8]));
        Assert.Contains("bindings 0 and 1", alias.Message);
        Assert.Contains("uniform block has 8", Assert.Throws<KernelLaunchException>(() => device.Dispatch(TestKernels.Saxpy, 4, [floats, sum], new byte[4])).Message);

        using var vector4s = device.CreateBuffer<Vector4>([new Vector4(1, 2, 3, 4)]);
        device.Dispatch(TestKernels.SumVec4, 1, [vector4s, sum], []);
        Assert.Equal([10f], sum.Read());
        using var sixteen = device.CreateBuffer<float>(16);
        device.Dispatch(TestKernels.Fixed16, 1, [sixteen], []);
        Assert.Equal(1f, sixteen.Read()[15]);
    }

    [Fact]
    public void Element_strides_of_WGSL_types()
    {
        Assert.Equal(4, KernelBindings.StrideOf("f32"));
        Assert.Equal(4, KernelBindings.StrideOf("atomic<u32>"));
        Assert.Equal(8, KernelBindings.StrideOf("vec2<f32>"));
        Assert.Equal(16, KernelBindings.StrideOf("vec3<f32>"));
        Assert.Equal(16, KernelBindings.StrideOf("vec3f"));
        Assert.Equal(8, KernelBindings.StrideOf("vec4h"));
        Assert.Equal(2, KernelBindings.StrideOf("f16"));
        Assert.Equal(64, KernelBindings.StrideOf("mat4x4<f32>"));
        Assert.Equal(48, KernelBindings.StrideOf("mat3x3f"));
        Assert.Null(KernelBindings.StrideOf("Particle"));
    }

    [Fact]
    public void Grids_map_to_workgroups_per_axis_and_the_limit_is_named()
    {
        using var cpu = ComputeDevice.OpenCpu();
        var k2 = new KernelInfo("LaunchCheckTests.K2", "", 16, 8, 1, [], 0);
        Assert.Equal(new UInt3(1, 1, 1), cpu.WorkgroupsFor(k2, 1));
        Assert.Equal(new UInt3(7, 1, 1), cpu.WorkgroupsFor(k2, 100));
        Assert.Equal(new UInt3(7, 13, 1), cpu.WorkgroupsFor(k2, (100, 100)));
        Assert.Equal(new UInt3(7, 13, 5), cpu.WorkgroupsFor(k2, (100, 100, 5)));
        Assert.Equal(new UInt3(65535, 1, 1), cpu.WorkgroupsFor(k2, 65535 * 16));
        var e = Assert.Throws<KernelLaunchException>(() => cpu.WorkgroupsFor(k2, (16, 65536 * 8)));
        Assert.Contains("LaunchCheckTests.K2", e.Message);
        Assert.Contains("Y exceeds", e.Message);
        Assert.Contains("(65535)", e.Message);
        Assert.Contains("(1, 65536, 1)", e.Message);
    }
}
