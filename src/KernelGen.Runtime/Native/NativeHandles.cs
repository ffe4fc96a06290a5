namespace KernelGen.Native;

/// <summary>The kinds of Dawn object the runtime creates and releases, counted by <see cref="NativeHandles"/>.</summary>
public enum NativeObjectKind
{
    Buffer,
    BindGroup,
    BindGroupLayout,
    PipelineLayout,
    ComputePipeline,
    ShaderModule,
    CommandEncoder,
    ComputePass,
    CommandBuffer,
    QuerySet,
}

/// <summary>
/// Process-wide counts of the Dawn objects this runtime holds: every create in <see cref="WebGpuNative"/> adds one,
/// every release takes one away. A loop that keeps these flat leaks no native handles; tests and benchmarks read
/// them (<see cref="Live(NativeObjectKind)"/>, <see cref="Created(NativeObjectKind)"/>). Objects Dawn hands back for
/// a failed call (error objects) are counted too: they must be released like any other.
/// </summary>
public static class NativeHandles
{
    private static readonly long[] CreatedCounts = new long[Enum.GetValues<NativeObjectKind>().Length];
    private static readonly long[] ReleasedCounts = new long[CreatedCounts.Length];

    /// <summary>Objects of <paramref name="kind"/> created and not yet released.</summary>
    public static long Live(NativeObjectKind kind) =>
        Interlocked.Read(ref CreatedCounts[(int)kind]) - Interlocked.Read(ref ReleasedCounts[(int)kind]);

    /// <summary>Objects of <paramref name="kind"/> created since the process started.</summary>
    public static long Created(NativeObjectKind kind) => Interlocked.Read(ref CreatedCounts[(int)kind]);

    /// <summary>Live objects of every kind, as a snapshot to compare against a later one.</summary>
    public static IReadOnlyDictionary<NativeObjectKind, long> Snapshot() =>
        Enum.GetValues<NativeObjectKind>().ToDictionary(kind => kind, Live);

    /// <summary>Sum of <see cref="Live(NativeObjectKind)"/> over every kind.</summary>
    public static long TotalLive => Enum.GetValues<NativeObjectKind>().Sum(Live);

    internal static nint Track(nint handle, NativeObjectKind kind)
    {
        if (handle != 0) Interlocked.Increment(ref CreatedCounts[(int)kind]);
        return handle;
    }

    internal static void Untrack(nint handle, NativeObjectKind kind)
    {
        if (handle != 0) Interlocked.Increment(ref ReleasedCounts[(int)kind]);
    }
}
