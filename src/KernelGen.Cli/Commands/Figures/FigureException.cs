namespace KernelGen.Cli.Commands.Figures;

/// <summary>An input a figure cannot be drawn from (a checkpoint of another architecture, a run without the data): exit code 1.</summary>
internal sealed class FigureException(string message) : Exception(message);
