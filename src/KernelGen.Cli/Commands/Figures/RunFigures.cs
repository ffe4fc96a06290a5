using System.CommandLine;
using KernelGen.Cli.Commands.Reporting;
using KernelGen.Reports;
using KernelGen.Reports.Figures;
using KernelGen.Reports.Runs;

namespace KernelGen.Cli.Commands.Figures;

/// <summary>
/// The figures of several run folders, each run named by its folder: <c>figures gradients</c> (each layer's median
/// gradient norm over the logged steps up to --max-step, gradient-norms.png/.svg) and <c>figures curves</c> (test
/// accuracy per epoch, accuracy.png/.svg; the smoothed per-step loss, or the per-epoch losses where a run has no
/// steps.jsonl, loss.png/.svg).
/// </summary>
internal static class RunFigures
{
    public static Command CreateGradients(CliContext context, FigureOptions options)
    {
        var runs = FigureOptions.RunFolders();
        var maxStep = CliOptions.Int("--max-step", "the median is over the logged steps up to this one", 500);
        var command = new Command("gradients", "each layer's gradient norm (median over the logged steps) of several runs in one figure: plain vs residual") { runs, maxStep, options.Out };
        command.SetAction(parse =>
        {
            int last = parse.GetValue(maxStep);
            var norms = Read(parse.GetValue(runs)!).Select(run => run.GradientNorms.Any(r => r.Step <= last) ? run.MedianGradientNorms(last)
                : throw new FigureException($"{Path.Combine(run.Path, RunFolder.GradientNormsFile)}: no gradient norms logged at a step up to {last}.")).ToList();
            FigureOptions.Wrote(context.Out, new GradientNormFigure
            {
                Title = $"Gradient norm per layer (median over the steps up to {last})", Runs = norms,
            }.Save(Path.Combine(options.Folder(parse), "gradient-norms")));
            return 0;
        });
        return command;
    }

    public static Command CreateCurves(CliContext context, FigureOptions options)
    {
        var runs = FigureOptions.RunFolders();
        var command = new Command("curves", "test accuracy per epoch and the training loss per step of several runs") { runs, options.Out };
        command.SetAction(parse =>
        {
            var folders = Read(parse.GetValue(runs)!);
            string folder = options.Folder(parse);
            var accuracies = folders.Select(r => r.AccuracyCurve(r.Name)).Where(s => s.Count > 0).ToList();
            if (accuracies.Count > 0)
                FigureOptions.Wrote(context.Out, new LineChart
                {
                    Title = "Test accuracy per epoch", XLabel = "epoch", YLabel = "test accuracy", Markers = true, Series = accuracies,
                }.Save(Path.Combine(folder, "accuracy")));
            else
                context.Out.WriteLine("no test accuracy in these runs' metrics.jsonl: no accuracy figure");
            bool perStep = folders.All(r => r.Steps.Count > 0);
            var losses = perStep
                ? folders.Select(r => Curves.ForFigure(r.StepCurve("loss", r.Name))).ToList()
                : [.. folders.SelectMany(r => r.LossCurves(r.Name))];
            if (!perStep) context.Out.WriteLine("not every run has steps.jsonl: the loss figure shows the per-epoch losses of metrics.jsonl");
            if (losses.All(s => s.Count == 0)) throw new FigureException("none of these runs has a loss in steps.jsonl or metrics.jsonl.");
            FigureOptions.Wrote(context.Out, new LineChart
            {
                Title = perStep ? "Training loss per step (moving average)" : "Loss per epoch", XLabel = perStep ? "step" : folders[0].XAxis, YLabel = "loss",
                LogY = true, Markers = !perStep, Series = losses,
            }.Save(Path.Combine(folder, "loss")));
            return 0;
        });
        return command;
    }

    /// <summary>The run folders, each named by its folder's name; two with the same name are told apart by their order.</summary>
    private static List<RunFolder> Read(IReadOnlyList<string> paths)
    {
        var runs = paths.Select(p => RunFolder.Read(p)).ToList();
        return [.. runs.Select((r, i) => runs.Count(o => o.Name == r.Name) > 1 ? RunFolder.Read(r.Path, $"{r.Name} ({i + 1})") : r)];
    }
}
