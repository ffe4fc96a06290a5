using System.Text.Json;
using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>kernelgen compare: two small models on the same data, a table, compare.json, compare.csv, report.html and figures.</summary>
public sealed class CompareCommandTests : IDisposable
{
    private readonly Cli.TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Compare_trains_each_architecture_and_writes_the_table()
    {
        string output = folder["compare"];
        var run = await Cli.RunAsync("compare", "--architectures", "perceptron,mlp", "--subset", "2000", "--epochs", "1", "--backend", "cpu", "--out", output);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("| architecture | parameters | test accuracy | test loss | ms/step | seconds |", run.Out);
        Assert.Matches(@"\| perceptron \| 7,850 \| [0-9.]+ % \|", run.Out);
        Assert.Matches(@"\| mlp \| 101,770 \| [0-9.]+ % \|", run.Out);
        // A well-formed Markdown table: the header, the separator and both rows have the same number of cells.
        var tableLines = run.Out.Split('\n').Where(l => l.StartsWith('|')).ToList();
        Assert.Equal(4, tableLines.Count);
        Assert.Single(tableLines.Select(l => l.Count(c => c == '|')).Distinct());

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "compare.json")));
        Assert.Equal(2000, json.RootElement.GetProperty("subset").GetInt32());
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["perceptron", "mlp"], rows.Select(r => r.GetProperty("architecture").GetString()));
        foreach (var row in rows)
        {
            Assert.Equal(2000, row.GetProperty("train_images").GetInt32());
            double accuracy = row.GetProperty("test_accuracy").GetDouble();
            Assert.True(accuracy is > 0.8 and <= 1, $"{row.GetProperty("architecture")}: test accuracy {accuracy}");
            Assert.True(row.GetProperty("ms_per_step").GetDouble() > 0);
            // Parameters, gradients and AdamW/SGD state (>= 8 bytes a parameter) plus the step's activations (batch 64 x 784 inputs at least).
            long parameters = row.GetProperty("parameters").GetInt64(), bytes = row.GetProperty("device_bytes").GetInt64();
            Assert.True(bytes > 8 * parameters + 64 * 784 * 4 && bytes < 1_000_000_000, $"{row.GetProperty("architecture")}: {bytes} bytes");
        }

        var csv = File.ReadAllLines(Path.Combine(output, "compare.csv"));
        Assert.Equal("architecture,parameters,train_images,epochs,test_accuracy,test_loss,ms_per_step,seconds,device_bytes,backend", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("perceptron,7850,2000,1,0.", csv[1]);
        Assert.StartsWith("mlp,101770,2000,1,0.", csv[2]);
        Assert.True(File.Exists(Path.Combine(output, "mlp", "checkpoint.safetensors")));
        Assert.True(File.Exists(Path.Combine(output, "perceptron", "steps.jsonl")));

        // The report: the table, one chart with both runs' per-step losses, the two figures; and each run's own report.
        string html = FigureChecks.AssertReport(Path.Combine(output, "report.html"));
        Assert.Contains("<td>perceptron</td><td class=\"num\">7850</td>", html);
        Assert.Contains("<td>mlp</td><td class=\"num\">101770</td>", html);
        Assert.Contains("\"title\":\"Training loss per step\"", html);
        Assert.Contains("\"name\":\"perceptron\"", html);
        Assert.Contains("\"name\":\"mlp\"", html);
        FigureChecks.AssertFigure(Path.Combine(output, "figures", "accuracy"));
        FigureChecks.AssertFigure(Path.Combine(output, "figures", "loss"));
        Assert.True(new FileInfo(Path.Combine(output, "figures", "loss.svg")).Length < 200_000);
        Assert.True(File.Exists(Path.Combine(output, "mlp", "report.html")));
    }
}
