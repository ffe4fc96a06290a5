using System.Globalization;
using KernelGen.Reports;
using KernelGen.Reports.Figures;
using KernelGen.Reports.Html;
using KernelGen.Reports.Runs;

namespace KernelGen.Cli.Commands.Reporting;

/// <summary>
/// What a run's report says besides its folder's files: a title, the configuration (setting, value), the steps of
/// an epoch (vision runs: where each epoch's test loss sits on the step axis) and the GPT's sample text.
/// </summary>
internal sealed record RunDescription(string Title, string Folder, IReadOnlyList<(string Setting, string Value)> Configuration)
{
    /// <summary>Optimizer steps per epoch (vision); null for the GPT, whose metrics are per logged step.</summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary>The text the GPT wrote at the end of its run.</summary>
    public string? Sample { get; init; }
}

/// <summary>
/// FOLDER/report.html and FOLDER/figures/ of one <c>kernelgen train</c> run, from the files the run wrote
/// (<see cref="RunFolder"/>): the configuration, the table of epochs (or of the GPT's evaluations), interactive
/// curves, the loss figure and, where the run measured them, the gradient norms per layer. Written after the metrics
/// and the checkpoint; a failure is a warning on standard error, never a failed run.
/// </summary>
internal static class RunReport
{
    public const string FileName = "report.html", FiguresFolder = "figures";

    /// <summary>Writes the report; on any failure prints "warning: ..." with the reason on <paramref name="errors"/>. Returns whether it was written.</summary>
    public static bool TryWrite(RunDescription run, TextWriter log, TextWriter errors) =>
        Safely(run.Folder, log, errors, () => Write(run));

    /// <summary>Runs <paramref name="write"/> (which returns the report's path); a failure becomes a warning naming the folder and the reason.</summary>
    internal static bool Safely(string folder, TextWriter log, TextWriter errors, Func<string> write)
    {
        try
        {
            log.WriteLine($"report: {write()}");
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            errors.WriteLine($"warning: the report of {folder} was not written: {e.Message}");
            return false;
        }
    }

    public static string Write(RunDescription run)
    {
        var folder = RunFolder.Read(run.Folder);
        string figures = Path.Combine(run.Folder, FiguresFolder);
        var stepLoss = folder.StepCurve("loss", "train loss (per step)");
        bool vision = run.StepsPerEpoch is not null;
        var evaluated = vision ? EpochEndCurve(folder, "test_loss", "test loss (end of epoch)", run.StepsPerEpoch!.Value)
            : folder.MetricCurve("validation_loss", "validation loss");
        var loss = new LineChart
        {
            Title = $"{run.Title}: loss", XLabel = "step", YLabel = "loss", LogY = true,
            Series = [Curves.ForFigure(stepLoss, "train loss (per step, smoothed)"), evaluated],
        }.Save(Path.Combine(figures, "loss"));
        FigureFiles? norms = folder.GradientNorms.Count > 0
            ? new GradientNormFigure { Title = $"{run.Title}: gradient norm per layer (median over the logged steps)", Runs = [folder.MedianGradientNorms()] }
                .Save(Path.Combine(figures, "gradient-norms"))
            : null;

        var report = new HtmlReport(run.Title)
            .Table(new Table("Configuration", ["setting", "value"], [.. run.Configuration.Select(c => new object?[] { c.Setting, c.Value })]));
        if (vision) AddEpochs(report, folder);
        else AddEvaluations(report, folder);
        report.Chart(new Chart("Loss per step", "step", "loss", [Curves.Thinned(stepLoss, 2000), Curves.Smoothed(stepLoss, "train loss (smoothed)"), evaluated]) { LogY = true });
        if (vision)
        {
            report.Chart(new Chart("Loss per epoch", "epoch", "loss", folder.LossCurves()))
                .Chart(new Chart("Test accuracy per epoch", "epoch", "accuracy", [folder.AccuracyCurve()]));
        }
        report.Image(loss.Png, "Loss: each step's (smoothed) and the held-out one");
        if (norms is not null) report.Image(norms.Png, "Gradient norm per layer, input to output: the median over the logged steps");
        if (run.Sample is { } sample) report.Heading("Sample").Preformatted(sample);
        string path = Path.Combine(run.Folder, FileName);
        report.Save(path);
        return path;
    }

    private static void AddEpochs(HtmlReport report, RunFolder folder) => report.Table(new Table("Per epoch",
        ["epoch", "train loss", "test loss", "test accuracy (%)", "s", "ms/step"],
        [.. folder.Metrics.Select(m => new object?[] { m.Epoch, m.TrainLoss, m.TestLoss, Round(m.TestAccuracy * 100, 2), Round(m.Seconds, 1), Round(m.MsPerStep, 1) })]));

    private static void AddEvaluations(HtmlReport report, RunFolder folder) => report.Table(new Table("Per evaluation",
        ["step", "train loss", "validation loss", "s"],
        [.. folder.Metrics.Select(m => new object?[] { m.Step, m.TrainLoss, m.ValidationLoss, Round(m.Seconds, 1) })]));

    /// <summary>A per-epoch field at the step where each epoch ends (so it shares the per-step axis).</summary>
    private static Series EpochEndCurve(RunFolder folder, string field, string name, int stepsPerEpoch) =>
        Series.Of(name, folder.Metrics.Where(m => m.Epoch is not null && m.Values.ContainsKey(field))
            .Select(m => ((double)m.Epoch!.Value * stepsPerEpoch, m.Values[field])));

    private static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;

    /// <summary>A setting's value as the report shows it (invariant culture).</summary>
    public static string Text(object value) => value switch
    {
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        long or int => ((IFormattable)value).ToString("N0", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
