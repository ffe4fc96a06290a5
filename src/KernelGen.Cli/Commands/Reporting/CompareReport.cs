using KernelGen.Cli.Commands.Training;
using KernelGen.Reports;
using KernelGen.Reports.Figures;
using KernelGen.Reports.Html;
using KernelGen.Reports.Runs;

namespace KernelGen.Cli.Commands.Reporting;

/// <summary>
/// OUT/report.html and OUT/figures/ of <c>kernelgen compare</c>: the table of results, every architecture's
/// per-step loss in one interactive chart, the bar chart of test accuracies (figures/accuracy) and the smoothed
/// per-step losses (figures/loss, thinned so the SVG stays small). Each run's folder has its own report as well.
/// </summary>
internal static class CompareReport
{
    public static bool TryWrite(string folder, VisionSettings settings, IReadOnlyList<VisionResult> results, TextWriter log, TextWriter errors) =>
        RunReport.Safely(folder, log, errors, () => Write(folder, settings, results));

    public static string Write(string folder, VisionSettings settings, IReadOnlyList<VisionResult> results)
    {
        string figures = Path.Combine(folder, RunReport.FiguresFolder);
        var runs = results.Select(r => RunFolder.Read(r.Folder, r.Architecture)).ToList();
        string budget = $"{settings.Data}, {results[0].TrainImages:N0} training images, {settings.Epochs} epoch{(settings.Epochs == 1 ? "" : "s")}";
        var accuracy = new BarChart
        {
            Title = $"Test accuracy ({budget})", YLabel = "test accuracy", ValueFormat = "P1",
            Bars = [.. results.Select(r => new Bar(r.Architecture, r.TestAccuracy))],
        }.Save(Path.Combine(figures, "accuracy"));
        var stepLosses = runs.Select(r => r.StepCurve("loss", r.Name)).ToList();
        var loss = new LineChart
        {
            Title = $"Training loss per step, smoothed ({budget})", XLabel = "step", YLabel = "loss", LogY = true,
            Series = [.. stepLosses.Select(s => Curves.ForFigure(s))],
        }.Save(Path.Combine(figures, "loss"));

        var report = new HtmlReport($"Comparison on {settings.Data}")
            .Paragraph($"Each architecture trained on the same data and budget ({budget}, batch {settings.Batch}, seed {settings.Seed}, " +
                $"backend {settings.Backend}), with its own default optimizer and learning rate. Each run's folder has its own report.")
            .Table(new Table("Results", ["architecture", "parameters", "test accuracy (%)", "test loss", "ms/step", "seconds", "device MB"],
                [.. results.Select(r => new object?[] { r.Architecture, r.Parameters, Math.Round(r.TestAccuracy * 100, 2), r.TestLoss, Math.Round(r.MsPerStep, 1), Math.Round(r.Seconds, 1), Math.Round(r.DeviceBytes / 1e6, 1) })]))
            .Chart(new Chart("Training loss per step", "step", "loss", [.. stepLosses.Select(s => Curves.Thinned(s, 2000))]) { LogY = true })
            .Image(accuracy.Png, "Test accuracy per architecture")
            .Image(loss.Png, "Training loss per step (moving average)");
        string path = Path.Combine(folder, RunReport.FileName);
        report.Save(path);
        return path;
    }
}
