using ScottPlot;

namespace KernelGen.Reports.Figures;

/// <summary>
/// What every figure shares: its size in pixels, the font and its sizes, the palette of the series (the HTML report's
/// charts use the same one), and how a plot becomes its PNG and SVG files.
/// </summary>
public sealed record FigureStyle
{
    /// <summary>The style of the article's figures: 800 x 500 pixels, DejaVu Sans (or the system's sans-serif font).</summary>
    public static FigureStyle Default { get; } = new();

    /// <summary>Tableau's ten colours (matplotlib's default cycle), as #rrggbb: series i takes colour i mod 10.</summary>
    public static IReadOnlyList<string> Palette { get; } =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Width of a chart in pixels (an image grid computes its own from <see cref="CellPixels"/>).</summary>
    public int Width { get; init; } = 800;

    /// <summary>Height of a chart in pixels.</summary>
    public int Height { get; init; } = 500;

    /// <summary>The side of one heatmap of an image grid, in pixels.</summary>
    public int CellPixels { get; init; } = 96;

    /// <summary>The font of all text; where it is not installed ScottPlot's sans-serif choice of the system serves.</summary>
    public string FontName { get; init; } = "DejaVu Sans";

    /// <summary>Size of the title, in pixels.</summary>
    public float TitleSize { get; init; } = 20;

    /// <summary>Size of the axis labels, in pixels.</summary>
    public float LabelSize { get; init; } = 16;

    /// <summary>Size of the tick labels, the legend and the tiles' titles, in pixels.</summary>
    public float TickSize { get; init; } = 13;

    /// <summary>Width of a series' line, in pixels.</summary>
    public float LineWidth { get; init; } = 2;

    /// <summary>The colour of series <paramref name="index"/>.</summary>
    public static Color SeriesColor(int index) => Color.FromHex(Palette[((index % Palette.Count) + Palette.Count) % Palette.Count]);

    /// <summary>ScottPlot and SkiaSharp keep process-wide caches (typefaces, the default font): figures render one at a time.</summary>
    private static readonly Lock RenderLock = new();

    /// <summary>A new plot with the title, the axis labels and this style's fonts; <paramref name="build"/> adds the plottables.</summary>
    internal FigureFiles Render(string path, string title, string xLabel, string yLabel, Action<Plot> build, int? width = null, int? height = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (png, svg) = Paths(path);
        lock (RenderLock)
        {
            using var plot = new Plot();
            string font = ResolveFont();
            plot.Font.Set(font);
            if (title.Length > 0) plot.Title(title, TitleSize);
            if (xLabel.Length > 0) plot.XLabel(xLabel, LabelSize);
            if (yLabel.Length > 0) plot.YLabel(yLabel, LabelSize);
            plot.Axes.Bottom.TickLabelStyle.FontSize = TickSize;
            plot.Axes.Left.TickLabelStyle.FontSize = TickSize;
            plot.Legend.FontSize = TickSize;
            plot.Legend.FontName = font;
            build(plot);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(png))!);
            int w = width ?? Width, h = height ?? Height;
            plot.SavePng(png, w, h);
            plot.SaveSvg(svg, w, h);
        }
        return new FigureFiles(png, svg);
    }

    /// <summary>The PNG and SVG paths of <paramref name="path"/>: its extension (.png, .svg or none) replaced by each.</summary>
    public static (string Png, string Svg) Paths(string path)
    {
        string ext = Path.GetExtension(path);
        string stem = ext.Equals(".png", StringComparison.OrdinalIgnoreCase) || ext.Equals(".svg", StringComparison.OrdinalIgnoreCase)
            ? path[..^ext.Length] : path;
        return (stem + ".png", stem + ".svg");
    }

    /// <summary><see cref="FontName"/> where SkiaSharp finds it, otherwise the system's sans-serif font.</summary>
    internal string ResolveFont()
    {
        using var typeface = SkiaSharp.SKFontManager.Default.MatchFamily(FontName);
        return typeface is not null && typeface.FamilyName.Equals(FontName, StringComparison.OrdinalIgnoreCase) ? FontName : Fonts.Sans;
    }
}
