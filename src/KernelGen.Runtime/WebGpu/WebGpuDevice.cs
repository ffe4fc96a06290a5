namespace KernelGen.WebGpu;

// Placeholder so the solution builds while the WebGPU backend is written (it replaces this file).
internal sealed class WebGpuDevice
{
    public static ComputeDevice Create(WebGpuOptions options) =>
        throw new WebGpuUnavailableException("The WebGPU backend is not built yet.");
}
