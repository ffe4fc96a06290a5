using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// <see cref="KernelLaunch.Launch"/>, what generated stubs call: a launch that repeats the kernel's previous one
/// checks only that the device and its buffers are alive. These make sure every other check still refuses bad input
/// right after a good launch of the same kernel, with the message <see cref="KernelLaunch.Validate(KernelInfo, ComputeDevice, Grid, ReadOnlySpan{GpuBufferView})"/>
/// gives, and that nothing of a refused launch is dispatched.
/// </summary>
public class RepeatedLaunchTests
{
    private static Cpu.CpuDevice? Saxpy(ComputeDevice device, Grid grid, GpuBufferView x, GpuBufferView y, float a = 1f, uint n = 2) =>
        KernelLaunch.Launch(TestKernels.Saxpy, device, grid, [x, y], TestKernels.SaxpyUniforms(a, n));

    private static GpuBufferView View(GpuBuffer<float> buffer) => (GpuBufferView<float>)buffer;

    /// <summary>A good launch, twice (the second takes the repeated path), then <paramref name="bad"/>, which must throw.</summary>
    private static KernelLaunchException RefusedAfterGoodLaunches(ComputeDevice device, GpuBuffer<float> x, GpuBuffer<float> y, Action bad)
    {
        Assert.Null(Saxpy(device, 2, View(x), View(y)));
        Assert.Null(Saxpy(device, 2, View(x), View(y)));
        return Assert.Throws<KernelLaunchException>(bad);
    }

    [WebGpuFact]
    public void A_repeated_launch_dispatches_and_a_buffer_disposed_since_is_refused()
    {
        var device = WebGpuTestDevice.Device;
        var x = device.CreateBuffer<float>([1f, 2f]);
        using var y = device.CreateBuffer<float>(2);
        Assert.Null(Saxpy(device, 2, View(x), View(y)));
        Assert.Null(Saxpy(device, 2, View(x), View(y)));
        Assert.Equal([2f, 4f], y.Read());

        x.Dispose();
        var disposed = Assert.Throws<KernelLaunchException>(() => Saxpy(device, 2, View(x), View(y)));
        Assert.Contains("buffer 0", disposed.Message); // hand-written KernelInfo: no parameter names
        Assert.Contains("disposed", disposed.Message);
        // Inside a batch as well, where the launch would be recorded.
        using (device.BeginBatch())
            Assert.Throws<KernelLaunchException>(() => Saxpy(device, 2, View(x), View(y)));
        Assert.Equal([2f, 4f], y.Read());
    }

    [WebGpuFact]
    public void Every_other_check_refuses_bad_input_right_after_a_good_launch()
    {
        var device = WebGpuTestDevice.Device;
        using var x = device.CreateBuffer<float>([1f, 2f]);
        using var y = device.CreateBuffer<float>(2);
        using var big = device.CreateBuffer<float>(1024);

        Assert.Contains("alias", RefusedAfterGoodLaunches(device, x, y, () => Saxpy(device, 2, View(y), View(y))).Message);
        Assert.Contains("alias", RefusedAfterGoodLaunches(device, x, y, () => Saxpy(device, 2, View(x), x.Slice(0, 1))).Message);

        using var other = ComputeDevice.OpenWebGpu();
        using var foreign = other.CreateBuffer<float>([1f, 2f]);
        Assert.Contains("another device", RefusedAfterGoodLaunches(device, x, y, () => Saxpy(device, 2, View(foreign), View(y))).Message);

        Assert.Contains("got 1 buffers", RefusedAfterGoodLaunches(device, x, y, () =>
            KernelLaunch.Launch(TestKernels.Saxpy, device, 2, [View(x)], TestKernels.SaxpyUniforms(1f, 2))).Message);
        Assert.Contains("bytes of scalar parameters", RefusedAfterGoodLaunches(device, x, y, () =>
            KernelLaunch.Launch(TestKernels.Saxpy, device, 2, [View(x), View(y)], new byte[4])).Message);

        // The same buffers, a launch size over the device's workgroup limit.
        var tooMany = (uint)Math.Min((ulong)uint.MaxValue, (ulong)(device.MaxWorkgroupsPerDimension + 1) * 64);
        Assert.Contains("maxComputeWorkgroupsPerDimension", RefusedAfterGoodLaunches(device, x, y, () => Saxpy(device, tooMany, View(x), View(y))).Message);

        // Views of the same buffer at a misaligned offset, and an empty one.
        Assert.Contains("starts at byte", RefusedAfterGoodLaunches(device, x, y, () => Saxpy(device, 2, big.Slice(1, 2), View(y))).Message);
        Assert.Contains("empty view", RefusedAfterGoodLaunches(device, x, y, () => Saxpy(device, 2, big.Slice(0, 0), View(y))).Message);

        // Elements of the wrong size for the WGSL's array<f32>.
        using var doubles = device.CreateBuffer<double>(2);
        Assert.Contains("8-byte elements", RefusedAfterGoodLaunches(device, x, y, () =>
            Saxpy(device, 2, View(x), (GpuBufferView<double>)doubles)).Message);

        // None of the refused launches ran: y is what the good ones (nine times two, a = 1) made it.
        Assert.Equal([18f, 36f], y.Read());
    }

    [WebGpuFact]
    public void A_launch_on_a_disposed_device_is_refused_after_a_good_one()
    {
        var device = ComputeDevice.OpenWebGpu();
        var x = device.CreateBuffer<float>([1f, 2f]);
        var y = device.CreateBuffer<float>(2);
        Assert.Null(Saxpy(device, 2, View(x), View(y)));
        device.Dispose();
        var e = Assert.Throws<KernelLaunchException>(() => Saxpy(device, 2, View(x), View(y)));
        Assert.Contains("device was disposed", e.Message);
    }

    [WebGpuFact]
    public void Views_dispatched_unchecked_through_KernelLaunch_Dispatch_are_stride_checked_by_a_launch()
    {
        var device = WebGpuTestDevice.Device;
        using var x = device.CreateBuffer<double>(2);
        using var y = device.CreateBuffer<double>(2);
        using (var batch = device.BeginBatch())
        {
            // KernelLaunch.Dispatch trusts that Validate ran (it did not: 8-byte elements for array<f32>).
            KernelLaunch.Dispatch(TestKernels.Saxpy, device, 2, [(GpuBufferView<double>)x, (GpuBufferView<double>)y], TestKernels.SaxpyUniforms(1f, 2));
            batch.Discard();
        }
        var stride = Assert.Throws<KernelLaunchException>(() =>
            KernelLaunch.Launch(TestKernels.Saxpy, device, 2, [(GpuBufferView<double>)x, (GpuBufferView<double>)y], TestKernels.SaxpyUniforms(1f, 2)));
        Assert.Contains("8-byte elements", stride.Message);
    }

    [WebGpuFact]
    public void Launches_are_recorded_in_the_calling_threads_batch_only()
    {
        var device = WebGpuTestDevice.Device;
        using var x = device.CreateBuffer<float>([1f, 2f]);
        using var mine = device.CreateBuffer<float>(2);
        using var theirs = device.CreateBuffer<float>(2);
        using (var batch = device.BeginBatch())
        {
            Saxpy(device, 2, View(x), View(mine));
            Saxpy(device, 2, View(x), View(mine));
            var other = new Thread(() => Saxpy(device, 2, View(x), View(theirs)));
            other.Start();
            other.Join();
            Assert.Equal(2, batch.DispatchCount);
            Assert.Equal([1f, 2f], theirs.Read()); // submitted at once, outside this thread's batch
        }
        Assert.Equal([2f, 4f], mine.Read());
    }

    [Fact]
    public void On_the_CPU_backend_a_launch_is_checked_and_returns_the_device_without_dispatching()
    {
        using var cpu = ComputeDevice.OpenCpu();
        using var x = cpu.CreateBuffer<float>([1f, 2f]);
        using var y = cpu.CreateBuffer<float>([5f, 6f]);
        Assert.Same(cpu, Saxpy(cpu, 2, View(x), View(y)));
        Assert.Equal([5f, 6f], y.Read()); // the stub runs the C# method: Launch dispatched nothing

        using var doubles = cpu.CreateBuffer<double>(2);
        Assert.Contains("8-byte elements", Assert.Throws<KernelLaunchException>(() => Saxpy(cpu, 2, View(x), (GpuBufferView<double>)doubles)).Message);
        x.Dispose();
        Assert.Contains("disposed", Assert.Throws<KernelLaunchException>(() => Saxpy(cpu, 2, View(x), View(y))).Message);
    }
}
