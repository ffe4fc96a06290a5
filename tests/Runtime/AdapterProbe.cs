using KernelGen.Native;
using KernelGen.WebGpu;

namespace KernelGen.Tests;

/// <summary>
/// Runs in a child process whose environment hides every Vulkan and EGL driver, and reports what the runtime did
/// as <c>key=value</c> lines (values on one line) for <see cref="NoDriverTests"/> to check.
/// </summary>
public static class AdapterProbe
{
    public const string Argument = "--adapter-probe";

    public static int Run(TextWriter output)
    {
        // 1. The explicit API: must throw, naming what to install, and never hand out a device.
        try
        {
            using var device = ComputeDevice.OpenWebGpu(new WebGpuOptions());
            Report(output, "open-webgpu", $"opened {device.Description}");
        }
        catch (WebGpuUnavailableException e)
        {
            Report(output, "open-webgpu", "unavailable");
            Report(output, "open-webgpu-message", e.Message);
        }
        catch (Exception e)
        {
            Report(output, "open-webgpu", $"{e.GetType().Name}: {e.Message}");
        }

        // 2. What Dawn does when asked for any backend: it offers its Null adapter, which must be refused.
        var instance = DeviceOpener.CreateInstance();
        var (adapter, failure) = DeviceOpener.RequestAdapter(instance, BackendType.Undefined);
        Report(output, "undefined-backend", adapter == 0 ? failure ?? "" : "accepted");
        if (adapter != 0) WebGpuNative.AdapterRelease(adapter);
        WebGpuNative.InstanceRelease(instance);

        // 3. The everyday API: says why once, then falls back to the CPU backend.
        var log = new StringWriter();
        using (var fallback = ComputeDevice.Open(log))
            Report(output, "open-backend", fallback.Backend.ToString());
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Report(output, "open-log-lines", lines.Length.ToString());
        Report(output, "open-log", log.ToString());
        return 0;
    }

    private static void Report(TextWriter output, string key, string value) =>
        output.WriteLine($"{key}={value.ReplaceLineEndings(" ").Trim()}");
}
