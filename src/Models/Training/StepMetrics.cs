namespace KernelGen.Models.Training;

/// <summary>
/// What one training step reports: the mean loss of its batch, the fraction it classified right (NaN for a
/// language model), the gradients' global norm before clipping (null where the step did not measure it), and whether
/// the update was skipped because the loss or the measured norm was not finite (then no parameter changed).
/// </summary>
public readonly record struct StepMetrics(int Step, int Examples, float Loss, float Accuracy, float? GradientNorm, float LearningRate)
{
    public bool Skipped => !float.IsFinite(Loss) || GradientNorm is { } norm && !float.IsFinite(norm);
}

/// <summary>Loss and accuracy over a whole data set (no gradients, dropout off).</summary>
public readonly record struct Evaluation(int Examples, double Loss, double Accuracy);
