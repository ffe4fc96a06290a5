namespace KernelGen;

/// <summary>Which native WebGPU backends to try, in order.</summary>
public enum WebGpuBackend
{
    Vulkan,
    OpenGles,
}

/// <summary>Settings of the WebGPU backend.</summary>
public sealed record WebGpuOptions
{
    /// <summary>Backends tried in order. Dawn's Null backend is never accepted.</summary>
    public IReadOnlyList<WebGpuBackend> Backends { get; init; } = [WebGpuBackend.Vulkan, WebGpuBackend.OpenGles];

    /// <summary>
    /// Reads <c>KERNELGEN_WEBGPU_BACKEND</c>: <c>vulkan</c> or <c>opengles</c> restricts the search to that backend;
    /// unset means Vulkan, then OpenGL ES.
    /// </summary>
    public static WebGpuOptions FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("KERNELGEN_WEBGPU_BACKEND");
        return value?.ToLowerInvariant() switch
        {
            null or "" => new WebGpuOptions(),
            "vulkan" => new WebGpuOptions { Backends = [WebGpuBackend.Vulkan] },
            "opengles" or "gles" => new WebGpuOptions { Backends = [WebGpuBackend.OpenGles] },
            _ => throw new ArgumentException(
                $"KERNELGEN_WEBGPU_BACKEND='{value}' is not a backend; use 'vulkan' or 'opengles', or leave it unset."),
        };
    }
}
