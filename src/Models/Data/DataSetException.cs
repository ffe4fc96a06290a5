namespace KernelGen.Models.Data;

/// <summary>
/// A data set is missing, empty or malformed. The message names the file, says what is wrong with it, and ends with
/// the command that installs the data, so whoever reads it can act without opening the source.
/// </summary>
public sealed class DataSetException : KernelGenException
{
    /// <summary>The command that installs (or repairs) every data set this library reads.</summary>
    public const string InstallCommand = "bash scripts/install-data.sh";

    /// <summary>The sentence every message ends with.</summary>
    public const string InstallHint = "Install the data sets with: " + InstallCommand + " (from the repository root).";

    /// <param name="path">The file (or folder) at fault.</param>
    /// <param name="problem">What is wrong with it, e.g. "empty (0 bytes)".</param>
    public DataSetException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}. {InstallHint}", inner)
    {
        Path = path;
    }

    /// <summary>The file (or folder) at fault.</summary>
    public string Path { get; }
}
