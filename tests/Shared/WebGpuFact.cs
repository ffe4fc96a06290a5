using KernelGen.WebGpu;
using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// A test that needs a WebGPU adapter. Skipped, with Dawn's reason, where none can be opened; but when
/// <c>KERNELGEN_REQUIRE_WEBGPU=1</c> it runs anyway and fails (CI on a machine that must have one).
/// </summary>
public sealed class WebGpuFactAttribute : FactAttribute
{
    public WebGpuFactAttribute()
    {
        if (WebGpuTestDevice.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>The <see cref="TheoryAttribute"/> form of <see cref="WebGpuFactAttribute"/>.</summary>
public sealed class WebGpuTheoryAttribute : TheoryAttribute
{
    public WebGpuTheoryAttribute()
    {
        if (WebGpuTestDevice.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>
/// One WebGPU device per test process, opened on first use and shared by every test (opening one costs tens of
/// milliseconds; the device serialises its own calls, so parallel test classes may share it).
/// </summary>
public static class WebGpuTestDevice
{
    private static readonly Lazy<(ComputeDevice? Device, string? Failure)> Probe = new(Open);

    /// <summary>True when <c>KERNELGEN_REQUIRE_WEBGPU=1</c>: a missing adapter fails tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("KERNELGEN_REQUIRE_WEBGPU") == "1";

    /// <summary>Why WebGPU tests are skipped, or null when they run.</summary>
    public static string? SkipReason =>
        !Required && Probe.Value.Failure is { } failure
            ? $"No WebGPU adapter (set KERNELGEN_REQUIRE_WEBGPU=1 to fail instead of skipping): {failure}"
            : null;

    /// <summary>The shared device; throws with Dawn's reason when there is none. Do not dispose it.</summary>
    public static ComputeDevice Device => Probe.Value.Device ?? throw new WebGpuUnavailableException(
        $"KERNELGEN_REQUIRE_WEBGPU=1 but no WebGPU device could be opened: {Probe.Value.Failure}");

    public static WebGpuAdapterInfo Adapter => Device.GetWebGpuAdapter()!;

    private static (ComputeDevice?, string?) Open()
    {
        try
        {
            return (ComputeDevice.OpenWebGpu(), null);
        }
        catch (Exception e)
        {
            return (null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
