using System.Globalization;
using System.Text.Json;
using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>kernelgen train writes report.html and figures/ in its run folder; a report that cannot be written is a warning.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly Cli.TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string Number(double value, string format = "0.####") => value.ToString(format, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Train_writes_a_report_with_the_tables_and_the_figures()
    {
        string run = folder["mlp"];
        var train = await Cli.RunAsync("train", "mlp", "--subset", "200", "--batch", "50", "--epochs", "2", "--backend", "cpu", "--out", run);
        Assert.True(train.Code == 0, train.ToString());
        Assert.Contains($"report: {Path.Combine(run, "report.html")}", train.Out);
        string html = FigureChecks.AssertReport(Path.Combine(run, "report.html"));
        Assert.Contains("<title>mlp on mnist</title>", html);
        Assert.Contains("<td>optimizer</td><td>sgd</td>", html);
        Assert.Contains("<td>training images</td><td>200</td>", html);
        foreach (var line in File.ReadAllLines(Path.Combine(run, "metrics.jsonl")))
        {
            using var metrics = JsonDocument.Parse(line);
            var m = metrics.RootElement;
            Assert.Contains($"<td class=\"num\">{m.GetProperty("epoch").GetInt32()}</td><td class=\"num\">{Number(m.GetProperty("train_loss").GetDouble())}</td>" +
                $"<td class=\"num\">{Number(m.GetProperty("test_loss").GetDouble())}</td><td class=\"num\">{Number(Math.Round(m.GetProperty("test_accuracy").GetDouble() * 100, 2))}</td>", html);
        }
        Assert.Contains("\"title\":\"Loss per step\"", html);
        Assert.Contains("\"title\":\"Test accuracy per epoch\"", html);
        Assert.Contains("src=\"data:image/png;base64,", html);
        FigureChecks.AssertFigure(Path.Combine(run, "figures", "loss"));
        FigureChecks.AssertFigure(Path.Combine(run, "figures", "gradient-norms"));
    }

    [Fact]
    public async Task Train_gpt_writes_a_report_with_the_evaluations_and_the_sample()
    {
        string run = folder["gpt"];
        var train = await Cli.RunAsync("train", "gpt", "--steps", "4", "--layers", "1", "--heads", "2", "--width", "16", "--context", "16", "--batch", "4",
            "--backend", "cpu", "--out", run);
        Assert.True(train.Code == 0, train.ToString());
        string html = FigureChecks.AssertReport(Path.Combine(run, "report.html"));
        Assert.Contains("<caption>Per evaluation</caption>", html);
        Assert.Contains("<td>heads</td><td>2</td>", html);
        Assert.Contains("<h2>Sample</h2>\n<pre>", html);
        FigureChecks.AssertFigure(Path.Combine(run, "figures", "loss"));
    }

    [Fact]
    public async Task A_report_that_cannot_be_written_is_a_warning_and_the_run_is_kept()
    {
        string run = folder["blocked"];
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "figures"), "a file where the figures folder would go");
        var train = await Cli.RunAsync("train", "perceptron", "--subset", "200", "--batch", "100", "--backend", "cpu", "--out", run);
        Assert.True(train.Code == 0, train.ToString());
        Assert.Contains($"warning: the report of {run} was not written: ", train.Error);
        Assert.DoesNotContain("   at ", train.Error);
        Assert.True(File.Exists(Path.Combine(run, "checkpoint.safetensors")));
        Assert.Single(File.ReadAllLines(Path.Combine(run, "metrics.jsonl")));
    }
}
