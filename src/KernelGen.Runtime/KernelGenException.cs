namespace KernelGen;

/// <summary>Base of every error the runtime raises on purpose.</summary>
public class KernelGenException : Exception
{
    public KernelGenException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A kernel launch was refused before anything was dispatched (bad buffer, size or device).</summary>
public sealed class KernelLaunchException : KernelGenException
{
    public KernelLaunchException(string message) : base(message) { }
}

/// <summary>A kernel failed while the CPU backend ran it; the message names the kernel and the invocation.</summary>
public sealed class KernelExecutionException : KernelGenException
{
    public KernelExecutionException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>No WebGPU adapter could be had; the message says what to install.</summary>
public sealed class WebGpuUnavailableException : KernelGenException
{
    public WebGpuUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Dawn reported an error (validation, out of memory, internal, shader compilation, device loss).</summary>
public sealed class WebGpuException : KernelGenException
{
    public WebGpuException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>An environment variable of KernelGen's (<c>KERNELGEN_BACKEND</c>, ...) holds a value it does not know.</summary>
public sealed class KernelGenConfigurationException : KernelGenException
{
    public KernelGenConfigurationException(string message) : base(message) { }
}
