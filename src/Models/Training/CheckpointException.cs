namespace KernelGen.Models.Training;

/// <summary>
/// A checkpoint cannot be read or does not fit the model: the file is missing, truncated or malformed, or a tensor is
/// missing, unexpected or of another shape. The message names the file and the tensor (with both shapes).
/// </summary>
public sealed class CheckpointException : KernelGenException
{
    /// <param name="path">The checkpoint file.</param>
    /// <param name="problem">What is wrong, e.g. "fc2.weight: checkpoint has [10, 64], the model expects [10, 128]".</param>
    public CheckpointException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it (the message without the path).</summary>
    public string Problem { get; }
}
