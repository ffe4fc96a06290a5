namespace KernelGen.WebGpu;

/// <summary>WebGPU-specific information about a <see cref="ComputeDevice"/>.</summary>
public static class WebGpuDeviceExtensions
{
    /// <summary>The adapter of a WebGPU device; null for other backends.</summary>
    public static WebGpuAdapterInfo? GetWebGpuAdapter(this ComputeDevice device) =>
        (device as WebGpuDevice)?.Adapter;
}
