using System.Globalization;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace KernelGen.CpuBenchmarks;

/// <summary>FLOP of one benchmark operation: 2 per saxpy element, 2 n^3 for an n x n matmul.</summary>
internal static class Flops
{
    public static double Of(BenchmarkCase benchmark) =>
        benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "N")?.Value is int n ? Data.MatmulFlops(n) : Data.SaxpyFlops;

    public static string Size(BenchmarkCase benchmark) =>
        benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "N")?.Value is int n ? n.ToString(CultureInfo.InvariantCulture) : "1M";
}

/// <summary>A GFLOP/s column beside BenchmarkDotNet's mean.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Floating-point operations per second of the mean (2 per saxpy element, 2 n^3 per matmul)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics is { } stats
            ? (Flops.Of(benchmarkCase) / stats.Mean).ToString("G4", CultureInfo.InvariantCulture) // FLOP per ns = GFLOP/s
            : "NA";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}

/// <summary>BenchmarkDotNet's default configuration with <see cref="GflopsColumn"/> added.</summary>
internal static class CpuBenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance.AddColumn(new GflopsColumn());
}

/// <summary>
/// After the run: one table over all classes, KernelGen against ILGPU per kernel and size (the tiled kernel's
/// ILGPU and sequential-mode figures come from <see cref="TiledMatmulSlow"/>), printed and written to
/// BenchmarkDotNet.Artifacts/results/cpu-vs-ilgpu.md.
/// </summary>
internal static class CombinedReport
{
    private sealed record Row(string Kernel, string Size, string Implementation, double MeanNs, double Gflops);

    public static void Write(IEnumerable<Summary> summaries)
    {
        var rows = new List<Row>();
        string? resultsDirectory = null;
        foreach (var summary in summaries)
        {
            resultsDirectory ??= summary.ResultsDirectoryPath;
            foreach (var report in summary.Reports)
            {
                if (report.ResultStatistics is not { } stats) continue;
                var benchmark = report.BenchmarkCase;
                string kernel = benchmark.Descriptor.Type.Name switch
                {
                    nameof(TiledMatmulSlow) => nameof(TiledMatmul),
                    var name => name,
                };
                string implementation = benchmark.Descriptor.WorkloadMethod.Name switch
                {
                    "KernelGen" when kernel == nameof(TiledMatmul) => "KernelGen (phased)",
                    "KernelGenSequential" => "KernelGen (sequential mode)",
                    "Ilgpu" => $"ILGPU (device {(kernel == nameof(TiledMatmul) ? IlgpuDevice.TiledName : IlgpuDevice.Name)})",
                    var name => name,
                };
                rows.Add(new Row(kernel, Flops.Size(benchmark), implementation, stats.Mean, Flops.Of(benchmark) / stats.Mean));
            }
        }
        if (rows.Count == 0) return;

        var text = new StringBuilder();
        text.AppendLine("| kernel | n | implementation | mean | GFLOP/s | ILGPU time / this | of the 10x goal |");
        text.AppendLine("| --- | ---: | --- | ---: | ---: | ---: | ---: |");
        foreach (var group in rows.GroupBy(r => (r.Kernel, r.Size)))
        {
            var ilgpu = group.FirstOrDefault(r => r.Implementation.StartsWith("ILGPU", StringComparison.Ordinal));
            foreach (var row in group.OrderBy(r => r.Implementation.StartsWith("ILGPU", StringComparison.Ordinal)).ThenBy(r => r.Implementation))
            {
                bool isIlgpu = ReferenceEquals(row, ilgpu);
                string speedup = ilgpu is null ? "(ILGPU not run)" : isIlgpu ? "1" : F(ilgpu.MeanNs / row.MeanNs);
                string goal = ilgpu is null || isIlgpu ? "" : F(ilgpu.MeanNs / row.MeanNs / 10);
                text.AppendLine($"| {row.Kernel} | {row.Size} | {row.Implementation} | {Time(row.MeanNs)} | {F(row.Gflops)} | {speedup} | {goal} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine("KernelGen CPU backend vs ILGPU CPU accelerator (\"of the 10x goal\" >= 1 meets the goal):");
        Console.Write(text);
        if (resultsDirectory is not null)
        {
            string path = Path.Combine(resultsDirectory, "cpu-vs-ilgpu.md");
            File.WriteAllText(path, text.ToString());
            Console.WriteLine($"Written to {path}");
        }
    }

    private static string F(double value) => value.ToString(value >= 100 ? "F0" : value >= 10 ? "F1" : value >= 1 ? "F2" : "G3", CultureInfo.InvariantCulture);

    private static string Time(double ns) => ns switch
    {
        >= 1e9 => $"{ns / 1e9:F2} s",
        >= 1e6 => $"{ns / 1e6:F2} ms",
        >= 1e3 => $"{ns / 1e3:F1} µs",
        _ => $"{ns:F0} ns",
    };
}
