namespace KernelGen.Reports;

/// <summary>A named curve: points (x, y) in the order they are drawn (a loss against the step, an accuracy against the epoch).</summary>
/// <remarks>NaN and infinite values are points that are not drawn (a gap in an HTML chart, skipped in a figure).</remarks>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>The series of <paramref name="points"/>.</summary>
    public static Series Of(string name, IEnumerable<(double X, double Y)> points)
    {
        var list = points.ToList();
        return new Series(name, list.Select(p => p.X).ToArray(), list.Select(p => p.Y).ToArray());
    }

    /// <summary>How many points (the shorter of <see cref="X"/> and <see cref="Y"/> if they differ; the constructor does not check).</summary>
    public int Count => Math.Min(X.Count, Y.Count);

    /// <summary>The points whose coordinates are both finite (and, if <paramref name="positiveY"/>, whose y is above zero).</summary>
    internal IEnumerable<(double X, double Y)> FinitePoints(bool positiveY = false)
    {
        for (int i = 0; i < Count; i++)
        {
            double x = X[i], y = Y[i];
            if (double.IsFinite(x) && double.IsFinite(y) && (!positiveY || y > 0)) yield return (x, y);
        }
    }
}

/// <summary>The two files a figure writes: a PNG (for documents) and an SVG (for the web), side by side.</summary>
public sealed record FigureFiles(string Png, string Svg);
