using KernelGen.Reports;

namespace KernelGen.Cli.Commands.Reporting;

/// <summary>
/// What the reports do to a per-step curve before drawing it: a moving average (a step's loss is one batch's, noisy)
/// and thinning to a few hundred points (a run of 10,000 steps would make a large SVG and a slow page).
/// </summary>
internal static class Curves
{
    /// <summary>The mean of each point's trailing window of about a fiftieth of the curve (at least one point); gaps skipped.</summary>
    public static Series Smoothed(Series series, string? name = null)
    {
        var points = Finite(series);
        int window = Math.Max(1, points.Count / 50);
        var smoothed = new (double X, double Y)[points.Count];
        double sum = 0;
        for (int i = 0; i < points.Count; i++)
        {
            sum += points[i].Y;
            if (i >= window) sum -= points[i - window].Y;
            smoothed[i] = (points[i].X, sum / Math.Min(i + 1, window));
        }
        return Series.Of(name ?? series.Name, smoothed);
    }

    /// <summary>At most <paramref name="maxPoints"/> evenly spaced points of <paramref name="series"/>, its first and last kept.</summary>
    public static Series Thinned(Series series, int maxPoints = 400)
    {
        if (series.Count <= maxPoints) return series;
        double stride = (series.Count - 1) / (double)(maxPoints - 1);
        var indices = Enumerable.Range(0, maxPoints).Select(i => (int)Math.Round(i * stride)).Distinct();
        return Series.Of(series.Name, indices.Select(i => (series.X[i], series.Y[i])));
    }

    /// <summary>Smoothed, then thinned: what a figure of per-step losses draws.</summary>
    public static Series ForFigure(Series series, string? name = null, int maxPoints = 400) => Thinned(Smoothed(series, name), maxPoints);

    private static List<(double X, double Y)> Finite(Series series) =>
        Enumerable.Range(0, series.Count).Select(i => (series.X[i], series.Y[i])).Where(p => double.IsFinite(p.Item1) && double.IsFinite(p.Item2)).ToList();
}
