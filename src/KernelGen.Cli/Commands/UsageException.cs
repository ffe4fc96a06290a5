namespace KernelGen.Cli.Commands;

/// <summary>A command-line value that cannot be used: printed with the usage line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
