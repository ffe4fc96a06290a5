using KernelGen.WebGpu;
using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// <see cref="GpuBufferView{T}"/> bindings through <see cref="ComputeDevice.Dispatch(KernelInfo, Grid, ReadOnlySpan{GpuBufferView}, ReadOnlySpan{byte})"/>:
/// the size checks apply to the view, and the bind groups of views go with their buffer.
/// </summary>
public class ViewDispatchTests
{
    private static ComputeDevice Device => WebGpuTestDevice.Device;

    /// <summary>TestKernels.Fixed16 under a name of its own: this class alone looks at its pipeline's bind groups.</summary>
    private static readonly KernelInfo Fixed16Views = new("ViewDispatchTests.Fixed16", TestKernels.Fixed16.Wgsl, 1, 1, 1,
        [BufferAccess.ReadWrite], uniformSize: 0);

    [WebGpuFact]
    public void Fixed_size_array_checks_apply_to_the_view_not_the_buffer()
    {
        using var big = Device.CreateBuffer<float>(512);
        var small = Assert.Throws<KernelLaunchException>(() => Device.Dispatch(TestKernels.Fixed16, 1, [big.Slice(256, 8)], []));
        Assert.Contains("fixed-size array of 16 f32 (64 bytes)", small.Message);
        Assert.Contains("(32 bytes)", small.Message);
        Assert.Contains("[256..264]", small.Message);
        Assert.Throws<KernelLaunchException>(() => KernelLaunch.Validate(TestKernels.Fixed16, Device, 1, [big.Slice(256, 8)], ["data"]));

        Device.Dispatch(TestKernels.Fixed16, 1, [big.Slice(256, 16)], []); // writes the view's element 15
        var data = big.Read();
        Assert.Equal(1f, data[256 + 15]);
        Assert.Equal(1, data.Count(v => v != 0));
    }

    [WebGpuFact]
    public void A_view_that_is_not_whole_words_is_refused_unless_it_reaches_the_end()
    {
        using var halves = Device.CreateBuffer<short>(1024);
        var error = Assert.Throws<KernelLaunchException>(() =>
            KernelLaunch.Validate(TestKernels.Fixed16, Device, 1, [halves.Slice(128, 3)], ["data"]));
        Assert.Contains("whole 4-byte words", error.Message);
        using var floats = Device.CreateBuffer<float>(64);
        Assert.Contains("empty view", Assert.Throws<KernelLaunchException>(() =>
            KernelLaunch.Validate(TestKernels.Fixed16, Device, 1, [floats.Slice(0, 0)], ["data"])).Message);
    }

    [WebGpuFact]
    public void Releasing_a_buffer_drops_the_bind_groups_of_its_views()
    {
        var device = (WebGpuDevice)Device;
        var buffer = device.CreateBuffer<float>(1024);
        using var other = device.CreateBuffer<float>(16);
        device.Dispatch(Fixed16Views, 1, [other], []);
        device.Dispatch(Fixed16Views, 1, [buffer.Slice(0, 16)], []);
        device.Dispatch(Fixed16Views, 1, [buffer.Slice(256, 16)], []);
        device.Dispatch(Fixed16Views, 1, [buffer.Slice(512, 16)], []);
        device.Dispatch(Fixed16Views, 1, [buffer.Slice(512, 16)], []); // the same view again: no new bind group
        var pipeline = device.Pipelines.Single(p => p.Kernel == Fixed16Views);
        Assert.Equal(4, pipeline.CachedBindGroups);
        buffer.Dispose();
        Assert.Equal(1, pipeline.CachedBindGroups);
    }
}
