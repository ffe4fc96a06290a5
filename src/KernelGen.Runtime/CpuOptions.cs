namespace KernelGen;

/// <summary>Settings of the CPU backend.</summary>
public sealed record CpuOptions
{
    /// <summary>
    /// Run every invocation on the calling thread, in order: a breakpoint in a kernel then stops on one invocation
    /// at a time. Also set by <c>KERNELGEN_CPU_SEQUENTIAL=1</c>.
    /// </summary>
    public bool Sequential { get; init; } = Environment.GetEnvironmentVariable("KERNELGEN_CPU_SEQUENTIAL") == "1";
}
