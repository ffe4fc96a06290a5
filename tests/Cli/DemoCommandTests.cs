using KernelGen.Cli.Commands;
using KernelGen.Tests;
using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>The README's main command: the demo must find the device, run every sample kernel and agree with the CPU.</summary>
public class DemoCommandTests
{
    [WebGpuFact]
    public void Demo_runs_every_sample_kernel_on_webgpu_and_agrees_with_the_cpu()
    {
        var output = new StringWriter();
        int exitCode = DemoCommand.Run(output);
        var text = output.ToString();
        Assert.True(exitCode == 0, text);
        Assert.Contains("Device: ", text);
        Assert.Contains("Vulkan", text); // lavapipe or a GPU, never Dawn's Null adapter
        foreach (var kernel in new[] { "Saxpy", "Relu", "SmoothClamp", "IntegerMix" })
            Assert.Matches($@"{kernel} +WebGpu:.*OK", text);
        Assert.Contains("All kernels agree with the CPU backend.", text);
    }
}
