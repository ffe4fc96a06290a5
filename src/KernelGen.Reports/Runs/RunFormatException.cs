namespace KernelGen.Reports.Runs;

/// <summary>A run folder's file that does not read: malformed JSON, or a field missing or of the wrong type.</summary>
/// <remarks>The message starts with <c>path:line:</c>, so an editor or a terminal jumps to the line.</remarks>
public sealed class RunFormatException : FormatException
{
    /// <summary>A problem at <paramref name="line"/> (1-based) of <paramref name="path"/>.</summary>
    public RunFormatException(string path, int line, string problem, Exception? inner = null)
        : base($"{path}:{line}: {problem}", inner)
    {
        FilePath = path;
        Line = line;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>The line, counted from 1.</summary>
    public int Line { get; }
}
