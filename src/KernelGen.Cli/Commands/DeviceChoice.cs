namespace KernelGen.Cli.Commands;

internal static class DeviceChoice
{
    /// <summary>--backend webgpu|cpu|auto: auto is WebGPU where an adapter exists, else the CPU backend with a message.</summary>
    public static ComputeDevice Open(string backend, TextWriter log) => backend switch
    {
        "cpu" => ComputeDevice.OpenCpu(),
        "webgpu" => ComputeDevice.OpenWebGpu(),
        _ => ComputeDevice.Open(log),
    };
}
