using KernelGen.Native;
using KernelGen.WebGpu;
using Xunit;

namespace KernelGen.Tests;

/// <summary>A lost device (driver reset, GPU removed) must fail every call with a clear message, never hang.</summary>
public unsafe class DeviceLossTests
{
    [WebGpuFact]
    public void After_a_device_loss_every_call_fails_fast_with_the_reason()
    {
        using var device = (WebGpuDevice)ComputeDevice.OpenWebGpu();
        using var buffer = device.CreateBuffer<float>([1, 2, 3]);
        fixed (byte* message = "lost on purpose by a test"u8)
            WebGpuNative.DeviceForceLoss(device.NativeDevice, DeviceLostReason.Unknown, StringView.Of(message, 25));

        var read = Assert.Throws<WebGpuException>(() => buffer.Read());
        Assert.Contains("device was lost", read.Message);
        Assert.Contains("lost on purpose by a test", read.Message);
        var sync = Assert.Throws<WebGpuException>(device.Synchronize);
        Assert.Contains("device was lost", sync.Message);
        var dispatch = Assert.Throws<WebGpuException>(() => device.Dispatch(Noop, 1, [], []));
        Assert.Contains(Noop.Name, dispatch.Message);
    }

    private static readonly KernelInfo Noop = new("DeviceLossTests.Noop",
        "@compute @workgroup_size(1) fn main() {}", 1, 1, 1, [], uniformSize: 0);
}
