using ScottPlot;

namespace KernelGen.Reports.Figures;

/// <summary>
/// Curves against a common x axis: losses or accuracies against the step or the epoch, one named series each, with
/// axis labels, a title, a legend and, optionally, a logarithmic y axis (points with y ≤ 0 are then left out).
/// </summary>
/// <example><code>
/// new LineChart { Title = "mlp on MNIST", XLabel = "epoch", YLabel = "loss", LogY = true, Series = run.LossCurves() }
///     .Save("runs/mlp/loss");   // writes runs/mlp/loss.png and runs/mlp/loss.svg
/// </code></example>
public sealed record LineChart
{
    /// <summary>The figure's title (none when empty).</summary>
    public string Title { get; init; } = "";

    /// <summary>The x axis label (for example "step" or "epoch").</summary>
    public string XLabel { get; init; } = "";

    /// <summary>The y axis label (for example "loss").</summary>
    public string YLabel { get; init; } = "";

    /// <summary>The curves, drawn in this order, colours from <see cref="FigureStyle.Palette"/>.</summary>
    public IReadOnlyList<Series> Series { get; init; } = [];

    /// <summary>A logarithmic y axis.</summary>
    public bool LogY { get; init; }

    /// <summary>Markers on the points as well as the line (for short series such as one point per epoch); a series of one point always has its marker.</summary>
    public bool Markers { get; init; }

    /// <summary>Size, fonts and colours.</summary>
    public FigureStyle Style { get; init; } = FigureStyle.Default;

    /// <summary>Writes the PNG and the SVG at <paramref name="path"/> (its extension, if .png or .svg, is replaced by each).</summary>
    public FigureFiles Save(string path) => Style.Render(path, Title, XLabel, YLabel, plot =>
    {
        for (int i = 0; i < Series.Count; i++)
        {
            var points = Series[i].FinitePoints(positiveY: LogY).ToList();
            var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => LogY ? LogAxis.Map(p.Y) : p.Y).ToArray(),
                FigureStyle.SeriesColor(i));
            line.LineWidth = Style.LineWidth;
            if (Markers || points.Count == 1) { line.MarkerShape = MarkerShape.FilledCircle; line.MarkerSize = 6; }
            line.LegendText = Series[i].Name;
        }
        if (LogY) LogAxis.Apply(plot, Series.SelectMany(s => s.Y));
        if (Series.Any(s => s.Name.Length > 0)) plot.ShowLegend(Edge.Right);
    });
}
