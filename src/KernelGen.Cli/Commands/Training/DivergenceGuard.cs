using System.Globalization;
using KernelGen.Models.Training;

namespace KernelGen.Cli.Commands.Training;

/// <summary>
/// A run whose loss (or gradient norm) stayed NaN or infinite for <see cref="DivergenceGuard.Limit"/> steps in a row:
/// the trainers skip such steps (no parameter changes), so it would never recover. Exit code 1.
/// </summary>
internal sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>
/// Watches the steps of a run: a step that was skipped (<see cref="StepMetrics.Skipped"/>) starts or extends a
/// streak; <see cref="Limit"/> in a row stop the run with a <see cref="TrainingDivergedException"/> that names the
/// first bad step, the value, the last good checkpoint and what to change. While a streak lasts no checkpoint may be
/// written (<see cref="Diverging"/>), so the last good one is kept.
/// </summary>
internal sealed class DivergenceGuard(RunCheckpoint checkpoint, float learningRate)
{
    public const int Limit = 5;
    private int streak, firstStep;
    private string what = "";

    /// <summary>Whether the last step was skipped (a checkpoint now would not be a good one).</summary>
    public bool Diverging => streak > 0;

    public void Check(StepMetrics m)
    {
        if (!m.Skipped)
        {
            streak = 0;
            return;
        }
        if (streak++ == 0)
        {
            firstStep = m.Step;
            what = !float.IsFinite(m.Loss) ? Describe(m.Loss) : $"gradient norm {Describe(m.GradientNorm ?? float.NaN)}";
        }
        if (streak < Limit) return;
        string last = checkpoint.HasFile ? $"the last good checkpoint is {checkpoint.Path} (step {checkpoint.SavedStep})" : "no checkpoint was written before it";
        throw new TrainingDivergedException(string.Create(CultureInfo.InvariantCulture,
            $"The loss diverged at step {firstStep} ({what}; {Limit} steps in a row skipped); {last}; lower --lr (it is {learningRate:G4})."));
    }

    private static string Describe(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
}
