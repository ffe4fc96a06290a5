namespace KernelGen;

/// <summary>How a kernel reaches one of its buffers.</summary>
public enum BufferAccess
{
    ReadOnly,
    ReadWrite,
}

/// <summary>
/// Everything the runtime needs to know about one generated kernel: its WGSL, its workgroup size, the access of
/// each buffer binding (bindings 0..n-1, in parameter order) and the byte size of its uniform block (binding n,
/// absent when the kernel has no scalar parameters). Made by the generator; one static instance per kernel.
/// </summary>
public sealed class KernelInfo
{
    public KernelInfo(string name, string wgsl, uint workgroupX, uint workgroupY, uint workgroupZ,
        BufferAccess[] buffers, int uniformSize, bool usesBarriers = false, int[]? sourceLines = null, string? sourceFile = null)
    {
        UsesBarriers = usesBarriers;
        SourceLines = sourceLines ?? [];
        SourceFile = sourceFile ?? "";
        Name = name;
        Wgsl = wgsl;
        WorkgroupSize = new UInt3(workgroupX, workgroupY, workgroupZ);
        Buffers = buffers;
        UniformSize = uniformSize;
    }

    /// <summary>
    /// The form generated code uses, all plain literals (cheap to compile): <paramref name="bindings"/> is each buffer
    /// parameter as <c>name:r</c> (read-only) or <c>name:rw</c>, separated by spaces, in binding order;
    /// <paramref name="sourceLines"/> the C# line of each WGSL line, comma-separated.
    /// </summary>
    public KernelInfo(string name, string wgsl, uint workgroupX, uint workgroupY, uint workgroupZ,
        string bindings, int uniformSize, bool usesBarriers, string sourceFile, string sourceLines)
        : this(name, wgsl, workgroupX, workgroupY, workgroupZ, ParseAccess(bindings, out var names), uniformSize, usesBarriers,
            ParseLines(sourceLines), sourceFile)
    {
        BufferNames = names;
    }

    private static BufferAccess[] ParseAccess(string bindings, out string[] names)
    {
        var parts = bindings.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        names = new string[parts.Length];
        var access = new BufferAccess[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            int colon = parts[i].LastIndexOf(':');
            names[i] = colon < 0 ? parts[i] : parts[i][..colon];
            access[i] = colon >= 0 && parts[i][(colon + 1)..] == "rw" ? BufferAccess.ReadWrite : BufferAccess.ReadOnly;
        }
        return access;
    }

    private static int[] ParseLines(string lines) =>
        lines.Length == 0 ? [] : Array.ConvertAll(lines.Split(','), l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The buffer parameters' C# names, in binding order, for error messages (empty when not known).</summary>
    public IReadOnlyList<string> BufferNames { get; } = [];

    /// <summary>The kernel's C# name, <c>Class.Method</c>: used in every error message about it.</summary>
    public string Name { get; }

    /// <summary>The WGSL module; its entry point is <c>main</c>.</summary>
    public string Wgsl { get; }

    public UInt3 WorkgroupSize { get; }

    public IReadOnlyList<BufferAccess> Buffers { get; }

    /// <summary>Bytes of the uniform block holding the scalar parameters; 0 when there are none.</summary>
    public int UniformSize { get; }

    /// <summary>
    /// True when the kernel calls <see cref="Kernel.WorkgroupBarrier"/> (or a storage barrier): the CPU backend then
    /// runs a workgroup's invocations concurrently so each can wait for the others.
    /// </summary>
    public bool UsesBarriers { get; }

    /// <summary>For each WGSL line (index 0 = line 1), the C# line it came from, or 0; maps shader errors back to C#.</summary>
    public IReadOnlyList<int> SourceLines { get; }

    /// <summary>The C# file the kernel is declared in (its name only), for error messages.</summary>
    public string SourceFile { get; }

    /// <summary>"File.cs line N" for a WGSL line, or null when that line has no C# origin.</summary>
    public string? SourceOf(int wgslLine) =>
        wgslLine >= 1 && wgslLine <= SourceLines.Count && SourceLines[wgslLine - 1] > 0
            ? $"{SourceFile} line {SourceLines[wgslLine - 1]}"
            : null;

    public override string ToString() => Name;

    /// <summary>Runtime cache, filled on first use: what the WGSL declares for each storage binding.</summary>
    internal KernelBindings? BindingsCache;

    /// <summary>Runtime cache: the pipeline last made from this kernel (the WebGPU backend checks its device).</summary>
    internal object? PipelineCache;
}
