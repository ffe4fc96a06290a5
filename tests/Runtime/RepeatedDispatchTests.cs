using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// A dispatch with exactly the views of the kernel's previous one skips the checks those views passed then; these
/// make sure what can change in between (a buffer disposed) is still caught, and that other views are checked in full.
/// </summary>
public class RepeatedDispatchTests
{
    [WebGpuFact]
    public void A_buffer_disposed_after_a_dispatch_is_refused_by_the_same_dispatch_repeated()
    {
        var device = WebGpuTestDevice.Device;
        var x = device.CreateBuffer<float>([1f, 2f]);
        using var y = device.CreateBuffer<float>(2);
        var uniforms = TestKernels.SaxpyUniforms(1f, 2);
        device.Dispatch(TestKernels.Saxpy, 2, [x, y], uniforms);
        device.Dispatch(TestKernels.Saxpy, 2, [x, y], uniforms); // the same views again
        Assert.Equal([2f, 4f], y.Read());

        x.Dispose();
        Assert.Throws<ObjectDisposedException>(() => device.Dispatch(TestKernels.Saxpy, 2, [x, y], uniforms));
        // The stubs' path (KernelLaunch.Dispatch), inside a batch, as well.
        using (device.BeginBatch())
            Assert.Throws<ObjectDisposedException>(() =>
                KernelLaunch.Dispatch(TestKernels.Saxpy, device, 2, [(GpuBufferView<float>)x, (GpuBufferView<float>)y], uniforms));
        Assert.Equal([2f, 4f], y.Read());
    }

    [WebGpuFact]
    public void Views_that_differ_from_the_previous_dispatch_are_checked_in_full()
    {
        var device = WebGpuTestDevice.Device;
        using var x = device.CreateBuffer<float>([1f, 2f]);
        using var y = device.CreateBuffer<float>(2);
        var uniforms = TestKernels.SaxpyUniforms(1f, 2);
        device.Dispatch(TestKernels.Saxpy, 2, [x, y], uniforms);

        // A writable binding aliasing another one.
        var aliased = Assert.Throws<KernelLaunchException>(() => device.Dispatch(TestKernels.Saxpy, 2, [y, y], uniforms));
        Assert.Contains("alias", aliased.Message);
        var aliasedView = Assert.Throws<KernelLaunchException>(() =>
            KernelLaunch.Dispatch(TestKernels.Saxpy, device, 2, [(GpuBufferView<float>)x, x.Slice(0, 1)], uniforms));
        Assert.Contains("alias", aliasedView.Message);

        // A buffer of another device, of the same size.
        using var other = ComputeDevice.OpenWebGpu();
        using var foreign = other.CreateBuffer<float>([1f, 2f]);
        var wrongDevice = Assert.Throws<KernelLaunchException>(() => device.Dispatch(TestKernels.Saxpy, 2, [foreign, y], uniforms));
        Assert.Contains("another device", wrongDevice.Message);

        // A wrong count, right after a good dispatch.
        Assert.Throws<KernelLaunchException>(() => device.Dispatch(TestKernels.Saxpy, 2, [x], uniforms));

        device.Dispatch(TestKernels.Saxpy, 2, [x, y], uniforms);
        Assert.Equal([2f, 4f], y.Read());
    }

    [WebGpuFact]
    public void Views_dispatched_unchecked_through_KernelLaunch_are_stride_checked_when_the_device_is_called_with_them()
    {
        var device = WebGpuTestDevice.Device;
        using var x = device.CreateBuffer<double>(2);
        using var y = device.CreateBuffer<double>(2);
        var uniforms = TestKernels.SaxpyUniforms(1f, 2);
        using (var batch = device.BeginBatch())
        {
            // KernelLaunch.Dispatch trusts that Validate ran (it did not: these are 8-byte elements for array<f32>).
            KernelLaunch.Dispatch(TestKernels.Saxpy, device, 2, [(GpuBufferView<double>)x, (GpuBufferView<double>)y], uniforms);
            batch.Discard();
        }
        var stride = Assert.Throws<KernelLaunchException>(() => device.Dispatch(TestKernels.Saxpy, 2, [x, y], uniforms));
        Assert.Contains("8-byte elements", stride.Message);
    }

    [WebGpuFact]
    public void A_released_buffer_replaced_by_a_new_one_binds_the_new_one()
    {
        var device = WebGpuTestDevice.Device;
        using var x = device.CreateBuffer<float>([1f, 2f]);
        var uniforms = TestKernels.SaxpyUniforms(1f, 2);
        for (int i = 0; i < 3; i++)
        {
            using var y = device.CreateBuffer<float>([10f * i, 0f]);
            device.Dispatch(TestKernels.Saxpy, 2, [x, y], uniforms);
            Assert.Equal([10f * i + 1f, 2f], y.Read());
        }
    }
}
