using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace KernelGen.KernelBenchmarks;

/// <summary>
/// A summary column dividing the work of one operation (flops, bytes) by its mean time: GFLOP/s or GB/s (work per
/// nanosecond), and optionally the ratio to the class's baseline in the same parameter set.
/// </summary>
public sealed class RateColumn(string name, string legend, Func<BenchmarkCase, double> workPerOperation) : IColumn
{
    public string Id => nameof(RateColumn) + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is > 0 ? (workPerOperation(benchmarkCase) / mean.Value).ToString("0.00") : "-";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    /// <summary>The value of a [Params] property of the case.</summary>
    public static T Param<T>(BenchmarkCase benchmarkCase, string name) => (T)benchmarkCase.Parameters[name];
}

/// <summary>A column with a fixed text per case (e.g. the device memory a variant needs).</summary>
public sealed class TextColumn(string name, string legend, Func<BenchmarkCase, string> text) : IColumn
{
    public string Id => nameof(TextColumn) + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => text(benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => text(benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
