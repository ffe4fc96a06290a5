using System.Diagnostics;
using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// Blocks on Dawn futures with <c>wgpuInstanceWaitAny</c>. Waits are cut into short slices so a lost device is
/// noticed, and give up after <see cref="Timeout"/> instead of hanging forever on a wedged driver.
/// </summary>
internal sealed class FutureWaiter(nint instance, DeviceErrorSink? sink)
{
    /// <summary>Longest wait for one operation (a long dispatch on a CPU rasterizer can take many seconds).</summary>
    public static TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    private const ulong SliceNanoseconds = 100_000_000;

    /// <summary>Waits until <paramref name="request"/>'s callback has run; <paramref name="what"/> names the operation.</summary>
    public unsafe void Wait(Future future, NativeRequest request, string what)
    {
        var info = new FutureWaitInfo { Future = future };
        long start = Stopwatch.GetTimestamp();
        while (!request.Done)
        {
            var status = WebGpuNative.InstanceWaitAny(instance, 1, &info, SliceNanoseconds);
            if (status == WaitStatus.Success && request.Done) return;
            if (status == WaitStatus.Error)
                throw new WebGpuException($"{what}: wgpuInstanceWaitAny failed (was the instance created with timedWaitAnyEnable?).");
            sink?.ThrowIfLost(what);
            if (Stopwatch.GetElapsedTime(start) > Timeout)
                throw new WebGpuException(
                    $"{what}: no answer from the WebGPU device after {Timeout.TotalSeconds:0} s. The driver may be hung; " +
                    "dispose this device and open a new one.");
        }
    }
}
