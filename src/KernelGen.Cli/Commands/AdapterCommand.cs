namespace KernelGen.Cli.Commands;

/// <summary>Prints the device kernels would run on (and, when there is no WebGPU adapter, why and what to install).</summary>
internal static class AdapterCommand
{
    public static int Run(TextWriter output)
    {
        using var device = ComputeDevice.Open(output);
        output.WriteLine($"Device: {device.Description}");
        return 0;
    }
}
