using System.Diagnostics;
using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// Without any GPU driver: the native environment must hide the drivers before the process starts (Vulkan's
/// loader and libglvnd read it once), hence a child process of this test assembly running <see cref="AdapterProbe"/>.
/// </summary>
public class NoDriverTests
{
    [Fact]
    public void Without_drivers_WebGpu_is_unavailable_with_install_advice_and_Open_falls_back_to_the_CPU()
    {
        var report = RunProbe();

        Assert.Equal("unavailable", report["open-webgpu"]);
        var message = report["open-webgpu-message"];
        Assert.Contains("No WebGPU adapter", message);
        Assert.Contains("mesa-vulkan-drivers", message);
        Assert.Contains("scripts/install-webgpu-prereqs.sh", message);
        Assert.Contains("Vulkan:", message);      // Dawn's own words, per backend
        Assert.Contains("OpenGL ES:", message);

        Assert.Contains("Null backend", report["undefined-backend"]);
        Assert.Contains("rejected", report["undefined-backend"]);

        Assert.Equal(nameof(Backend.Cpu), report["open-backend"]);
        Assert.Equal("1", report["open-log-lines"]);
        Assert.Contains("mesa-vulkan-drivers", report["open-log"]);
    }

    private static Dictionary<string, string> RunProbe()
    {
        var assembly = typeof(AdapterProbe).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(AdapterProbe.Argument);
        // Vulkan's loader (both spellings of the variable) and libglvnd's EGL find no driver manifest.
        start.Environment["VK_ICD_FILENAMES"] = "/nonexistent/none.json";
        start.Environment["VK_DRIVER_FILES"] = "/nonexistent/none.json";
        start.Environment["__EGL_VENDOR_LIBRARY_FILENAMES"] = "/nonexistent/none.json";
        start.Environment.Remove("KERNELGEN_BACKEND");
        start.Environment.Remove("KERNELGEN_WEBGPU_BACKEND");

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "The adapter probe did not finish within 60 s.");
        Assert.True(process.ExitCode == 0, $"The adapter probe exited with {process.ExitCode}.\n{stdout}\n{stderr.Result}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].TrimEnd('\r'));
    }

    /// <summary>The dotnet host running these tests (the SDK names it in DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet") return path;
        return "dotnet";
    }
}
