using System.Globalization;
using ScottPlot;

namespace KernelGen.Reports.Figures;

/// <summary>One bar of a <see cref="BarChart"/>: a category (an architecture) and its value (its test accuracy).</summary>
public sealed record Bar(string Category, double Value);

/// <summary>
/// One value per named category, each bar labelled with its value: the comparison of architectures.
/// </summary>
/// <example><code>
/// new BarChart { Title = "Test accuracy after 2 epochs", YLabel = "accuracy", ValueFormat = "P1",
///     Bars = [new("mlp", 0.976), new("cnn", 0.989), new("vit", 0.964)] }.Save("docs/figures/accuracy");
/// </code></example>
public sealed record BarChart
{
    /// <summary>The figure's title (none when empty).</summary>
    public string Title { get; init; } = "";

    /// <summary>The y axis label.</summary>
    public string YLabel { get; init; } = "";

    /// <summary>The x axis label (none by default: the categories name themselves).</summary>
    public string XLabel { get; init; } = "";

    /// <summary>The bars, left to right.</summary>
    public IReadOnlyList<Bar> Bars { get; init; } = [];

    /// <summary>The .NET format of the value labels (invariant culture): "0.000", "P1" for a percentage, "N0"...</summary>
    public string ValueFormat { get; init; } = "0.###";

    /// <summary>Size, fonts and colours.</summary>
    public FigureStyle Style { get; init; } = FigureStyle.Default;

    /// <summary>Writes the PNG and the SVG at <paramref name="path"/> (its extension, if .png or .svg, is replaced by each).</summary>
    public FigureFiles Save(string path) => Style.Render(path, Title, XLabel, YLabel, plot =>
    {
        var bars = Bars.Select((b, i) => new ScottPlot.Bar
        {
            Position = i,
            Value = double.IsFinite(b.Value) ? b.Value : 0,
            FillColor = FigureStyle.SeriesColor(i),
            Label = double.IsFinite(b.Value) ? b.Value.ToString(ValueFormat, CultureInfo.InvariantCulture) : "n/a",
        }).ToArray();
        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = Style.TickSize;
        plottable.ValueLabelStyle.FontName = plot.Axes.Bottom.TickLabelStyle.FontName;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, Bars.Count).Select(i => (double)i).ToArray(), Bars.Select(b => b.Category).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (Bars.Count > 6)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            // ScottPlot sizes the axis panel for horizontal labels: make room for the rotated ones.
            plot.Axes.Bottom.MinimumSize = (float)Math.Sin(Math.PI * 30 / 180) * 0.6f * Style.TickSize * Bars.Max(b => b.Category.Length) + Style.LabelSize * 2 + 12;
            plot.Axes.Bottom.TickLabelStyle.OffsetY = 4;
        }
        plot.HideGrid();
        // Bars grow from zero, with room above the tallest for its label.
        double top = Math.Max(0, Bars.Where(b => double.IsFinite(b.Value)).Select(b => b.Value).DefaultIfEmpty(1).Max());
        double bottom = Math.Min(0, Bars.Where(b => double.IsFinite(b.Value)).Select(b => b.Value).DefaultIfEmpty(0).Min());
        if (top == bottom) top = 1;
        plot.Axes.SetLimitsY(bottom == 0 ? 0 : bottom * 1.12, top == 0 ? 0 : top * 1.12);
    });
}
