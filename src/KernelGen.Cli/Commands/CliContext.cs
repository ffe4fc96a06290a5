using Spectre.Console;

namespace KernelGen.Cli.Commands;

/// <summary>
/// Where the commands write: <see cref="Out"/> (results, logs), <see cref="Error"/> (problems, device notes), and
/// whether <see cref="Out"/> is an interactive terminal, where training shows live progress instead of log lines.
/// </summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, bool Interactive = false)
{
    /// <summary>The process's console: interactive when standard output is a terminal that Spectre.Console can redraw.</summary>
    public static CliContext ForConsole() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive) { OwnsConsole = true };

    /// <summary>A context writing to <paramref name="output"/> and <paramref name="error"/> (tests), never interactive.</summary>
    public static CliContext For(TextWriter output, TextWriter? error = null) => new(output, error ?? TextWriter.Null);

    /// <summary>Whether this is the process's own console (then Ctrl+C cancels the command).</summary>
    public bool OwnsConsole { get; init; }
}
