using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace KernelGen.Reports.Figures;

/// <summary>
/// A logarithmic y axis for ScottPlot, which has none: the figure plots log10(y) and this labels the axis with the
/// values themselves, at 1, 2, 5 (or 1, 2, 3, 5 over a short range, or powers of ten over a long one) times 10^k.
/// </summary>
internal static class LogAxis
{
    /// <summary>log10 of a positive value (the y of a point on a log axis).</summary>
    public static double Map(double y) => Math.Log10(y);

    /// <summary>Puts ticks labelled with the values of <paramref name="values"/>' range (positive values only) on the left axis.</summary>
    public static void Apply(Plot plot, IEnumerable<double> values)
    {
        var positive = values.Where(v => double.IsFinite(v) && v > 0).ToList();
        if (positive.Count == 0) return;
        double min = positive.Min(), max = positive.Max();
        var ticks = new NumericManual();
        foreach (double major in Majors(min, max)) ticks.AddMajor(Map(major), Label(major));
        int low = (int)Math.Floor(Math.Log10(min)) - 1, high = (int)Math.Ceiling(Math.Log10(max)) + 1;
        for (int k = low; k <= high; k++)
            for (int m = 2; m <= 9; m++) ticks.AddMinor(Map(m * Math.Pow(10, k)));
        plot.Axes.Left.TickGenerator = ticks;
    }

    /// <summary>The labelled values: those of the ladder that fall in [min, max], plus one beyond each end.</summary>
    internal static List<double> Majors(double min, double max)
    {
        double decades = Math.Log10(max) - Math.Log10(min);
        int[] steps = decades <= 1 ? [1, 2, 3, 5] : decades <= 3 ? [1, 2, 5] : [1];
        int low = (int)Math.Floor(Math.Log10(min)) - 1, high = (int)Math.Ceiling(Math.Log10(max)) + 1;
        var ladder = new List<double>();
        for (int k = low; k <= high; k++)
            foreach (int m in steps) ladder.Add(double.Parse($"{m}e{k}", CultureInfo.InvariantCulture));
        int first = Math.Max(0, ladder.FindLastIndex(v => v <= min)), last = ladder.FindIndex(v => v >= max);
        if (last < 0) last = ladder.Count - 1;
        return ladder.GetRange(first, last - first + 1);
    }

    private static string Label(double v) =>
        v is >= 1e-3 and < 1e5 ? v.ToString("0.###", CultureInfo.InvariantCulture) : v.ToString("0e0", CultureInfo.InvariantCulture);
}
