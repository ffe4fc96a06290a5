using ScottPlot;

namespace KernelGen.Reports.Figures;

/// <summary>How an image grid maps values to colours.</summary>
public enum ColorScale
{
    /// <summary>Black (lowest) to white (highest) over each tile's range (or the shared one): filters, images.</summary>
    Grayscale,

    /// <summary>Blue (negative) through white (zero) to red (positive), symmetric about zero: signed weights.</summary>
    Diverging,

    /// <summary>Viridis, dark blue (lowest) to yellow (highest): attention weights.</summary>
    Viridis,
}

/// <summary>One small heatmap of an <see cref="ImageGrid"/>: values as [row, column], row 0 drawn at the top.</summary>
public sealed record HeatmapTile(string Title, float[,] Values)
{
    /// <summary>A tile of <paramref name="rows"/> x <paramref name="columns"/> row-major <paramref name="values"/>.</summary>
    public static HeatmapTile FromRowMajor(string title, ReadOnlySpan<float> values, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (values.Length != rows * columns)
            throw new ArgumentException($"a {rows}x{columns} tile needs {rows * columns} values, got {values.Length}", nameof(values));
        var grid = new float[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) grid[r, c] = values[r * columns + c];
        return new HeatmapTile(title, grid);
    }
}

/// <summary>
/// A grid of small heatmaps, each with a title: a CNN's first-layer filters [outChannels, 1, k, k], attention maps per
/// head [heads, T, T], or one attention map over an image. Row 0 of every tile is at the top.
/// </summary>
/// <example><code>
/// var conv = checkpoint.Tensors.First(t => t.Name == "conv1.weight");          // shape [16, 1, 5, 5]
/// new ImageGrid { Title = "First-layer filters", Tiles = ImageGrid.TilesOf(conv.Values, conv.Shape, "filter "),
///     Scale = ColorScale.Diverging }.Save("runs/cnn/filters");
/// </code></example>
public sealed record ImageGrid
{
    /// <summary>The figure's title (none when empty).</summary>
    public string Title { get; init; } = "";

    /// <summary>The tiles, row by row.</summary>
    public IReadOnlyList<HeatmapTile> Tiles { get; init; } = [];

    /// <summary>Tiles per row; 0 chooses the smallest square-ish grid (ceiling of the square root of the count).</summary>
    public int Columns { get; init; }

    /// <summary>The colour map.</summary>
    public ColorScale Scale { get; init; } = ColorScale.Grayscale;

    /// <summary>One value range for all tiles (comparable colours) instead of each tile's own (most contrast).</summary>
    public bool SharedRange { get; init; }

    /// <summary>Size (<see cref="FigureStyle.CellPixels"/> per tile), fonts and colours.</summary>
    public FigureStyle Style { get; init; } = FigureStyle.Default;

    /// <summary>
    /// The tiles of a row-major tensor: [h, w] is one tile; [n, h, w] is n (heads, channels); [n, c, h, w] is n tiles
    /// when c = 1 (a first-layer filter bank) and n x c otherwise. Titles are <paramref name="titlePrefix"/> and the index.
    /// </summary>
    public static IReadOnlyList<HeatmapTile> TilesOf(ReadOnlySpan<float> values, IReadOnlyList<int> shape, string titlePrefix = "")
    {
        ArgumentNullException.ThrowIfNull(shape);
        long size = shape.Aggregate(1L, (a, d) => a * d);
        if (shape.Any(d => d <= 0) || size != values.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {size} values, got {values.Length}", nameof(shape));
        var tiles = new List<HeatmapTile>();
        switch (shape.Count)
        {
            case 2:
                tiles.Add(HeatmapTile.FromRowMajor(titlePrefix.Trim(), values, shape[0], shape[1]));
                break;
            case 3:
                for (int i = 0, n = shape[1] * shape[2]; i < shape[0]; i++)
                    tiles.Add(HeatmapTile.FromRowMajor($"{titlePrefix}{i}", values.Slice(i * n, n), shape[1], shape[2]));
                break;
            case 4:
                for (int i = 0, n = shape[2] * shape[3]; i < shape[0]; i++)
                    for (int j = 0; j < shape[1]; j++)
                        tiles.Add(HeatmapTile.FromRowMajor(shape[1] == 1 ? $"{titlePrefix}{i}" : $"{titlePrefix}{i}.{j}",
                            values.Slice((i * shape[1] + j) * n, n), shape[2], shape[3]));
                break;
            default:
                throw new ArgumentException($"a tensor of rank 2, 3 or 4 makes tiles, not rank {shape.Count}", nameof(shape));
        }
        return tiles;
    }

    /// <summary>Writes the PNG and the SVG at <paramref name="path"/> (its extension, if .png or .svg, is replaced by each).</summary>
    public FigureFiles Save(string path)
    {
        var layout = Layout();
        return Style.Render(path, "", "", "", plot =>
        {
            // One data unit is one pixel: the frameless plot's limits are the figure's size, y pointing up.
            plot.Layout.Frameless();
            plot.HideGrid();
            plot.Axes.SetLimits(0, layout.Width, 0, layout.Height);
            var shared = SharedRange ? Range(Tiles.SelectMany(t => Values(t.Values))) : default;
            for (int i = 0; i < Tiles.Count; i++)
            {
                var tile = Tiles[i];
                var box = layout.Tile(i, tile.Values.GetLength(0), tile.Values.GetLength(1));
                var heatmap = plot.Add.Heatmap(ToDouble(tile.Values));
                // Rectangle is the outer edge of the cells (Extent would be their centres, half a cell smaller).
                heatmap.Rectangle = new CoordinateRect(box.Left, box.Right, layout.Height - box.Bottom, layout.Height - box.Top);
                // ScottPlot 5.1 draws row 0 at the top by default (FlipRows = false): an image's orientation, tested.
                heatmap.FlipVertically = false;
                // Cells as rectangles keep their sharp edges in the SVG (a browser smooths a scaled-up small bitmap).
                if (tile.Values.Length <= 64 * 64) heatmap.RenderStrategy = new ScottPlot.Plottables.Heatmap.RenderStrategies.Rectangles();
                heatmap.Colormap = Colormap();
                var (low, high) = SharedRange ? shared : Range(Values(tile.Values));
                heatmap.ManualRange = new ScottPlot.Range(low, high);
                heatmap.NaNCellColor = Colors.Magenta;
                if (tile.Title.Length > 0)
                {
                    var text = plot.Add.Text(tile.Title, (box.Left + box.Right) / 2, layout.Height - layout.TileTitleTop(i) - 2);
                    text.Alignment = Alignment.UpperCenter;
                    text.LabelStyle.FontSize = Style.TickSize;
                    text.LabelStyle.FontName = Style.ResolveFont();
                }
            }
            if (Title.Length > 0)
            {
                var title = plot.Add.Text(Title, layout.Width / 2.0, layout.Height - Gap);
                title.Alignment = Alignment.UpperCenter;
                title.LabelStyle.FontSize = Style.TitleSize;
                title.LabelStyle.Bold = true;
                title.LabelStyle.FontName = Style.ResolveFont();
            }
        }, layout.Width, layout.Height);
    }

    private const int Gap = 8;

    /// <summary>Where each tile goes, in pixels from the top-left corner of the figure.</summary>
    internal GridLayout Layout()
    {
        int count = Math.Max(1, Tiles.Count);
        int columns = Columns > 0 ? Columns : (int)Math.Ceiling(Math.Sqrt(count));
        int rows = (count + columns - 1) / columns;
        int titleHeight = Title.Length > 0 ? (int)Math.Ceiling(Style.TitleSize * 1.4) + Gap : 0;
        int tileTitleHeight = Tiles.Any(t => t.Title.Length > 0) ? (int)Math.Ceiling(Style.TickSize * 1.4) : 0;
        return new GridLayout(columns, rows, Style.CellPixels, titleHeight, tileTitleHeight);
    }

    private ScottPlot.IColormap Colormap() => Scale switch
    {
        ColorScale.Diverging => new ScottPlot.Colormaps.Balance(),
        ColorScale.Viridis => new ScottPlot.Colormaps.Viridis(),
        _ => new ScottPlot.Colormaps.Grayscale(),
    };

    /// <summary>The value range of the colour map: [min, max], or [-m, m] with m = max |v| when diverging.</summary>
    private (double Low, double High) Range(IEnumerable<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
            if (double.IsFinite(v)) { min = Math.Min(min, v); max = Math.Max(max, v); }
        if (min > max) return (0, 1);
        if (Scale == ColorScale.Diverging)
        {
            double m = Math.Max(Math.Abs(min), Math.Abs(max));
            return m > 0 ? (-m, m) : (-1, 1);
        }
        return min < max ? (min, max) : (min - 0.5, max + 0.5);
    }

    private static IEnumerable<double> Values(float[,] grid)
    {
        foreach (float v in grid) yield return v;
    }

    /// <summary>
    /// The values as ScottPlot's intensities. ScottPlot 5.1 draws nothing for a heatmap of one row or one column, so
    /// such a dimension is doubled (each cell twice): the same picture.
    /// </summary>
    internal static double[,] ToDouble(float[,] grid)
    {
        int rows = grid.GetLength(0), columns = grid.GetLength(1);
        int rowRepeat = rows == 1 ? 2 : 1, columnRepeat = columns == 1 ? 2 : 1;
        var result = new double[rows * rowRepeat, columns * columnRepeat];
        for (int r = 0; r < result.GetLength(0); r++)
            for (int c = 0; c < result.GetLength(1); c++) result[r, c] = grid[r / rowRepeat, c / columnRepeat];
        return result;
    }

    /// <summary>The grid's geometry in pixels (y down): columns x rows boxes of <paramref name="Cell"/> pixels under the title.</summary>
    internal readonly record struct GridLayout(int Columns, int Rows, int Cell, int TitleHeight, int TileTitleHeight)
    {
        public int Width => Columns * Cell + (Columns + 1) * Gap;

        public int Height => TitleHeight + Rows * (TileTitleHeight + Cell) + (Rows + 1) * Gap;

        /// <summary>The top of tile <paramref name="index"/>'s title, in pixels from the top.</summary>
        public double TileTitleTop(int index) => TitleHeight + Gap + index / Columns * (TileTitleHeight + Cell + Gap);

        /// <summary>The box of tile <paramref name="index"/> (its aspect ratio kept, centred in its cell), in pixels, y down.</summary>
        public (double Left, double Top, double Right, double Bottom) Tile(int index, int rows, int columns)
        {
            double left = Gap + index % Columns * (Cell + Gap), top = TileTitleTop(index) + TileTitleHeight;
            double scale = (double)Cell / Math.Max(rows, columns), w = columns * scale, h = rows * scale;
            left += (Cell - w) / 2;
            top += (Cell - h) / 2;
            return (left, top, left + w, top + h);
        }
    }
}
