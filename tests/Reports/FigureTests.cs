using KernelGen.Reports.Figures;
using SkiaSharp;
using Xunit;

namespace KernelGen.Reports.Tests;

public sealed class FigureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly SKColor Blue = ImageChecks.Hex(FigureStyle.Palette[0]), Orange = ImageChecks.Hex(FigureStyle.Palette[1]),
        Green = ImageChecks.Hex(FigureStyle.Palette[2]);

    /// <summary>The mean x of the pixels close to <paramref name="color"/> (NaN when there are none).</summary>
    private static double MeanX(SKBitmap bitmap, SKColor color)
    {
        double sum = 0;
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
                if (ImageChecks.Distance(bitmap.GetPixel(x, y), color) <= 10) { sum += x; count++; }
        return count == 0 ? double.NaN : sum / count;
    }

    [Fact]
    public void Line_chart_draws_every_series_and_the_title_text()
    {
        var xs = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        var files = new LineChart
        {
            Title = "Loss", XLabel = "step", YLabel = "loss",
            Series = [new Series("train", xs, xs.Select(x => 2 - x / 30).ToArray()), new Series("test", xs, xs.Select(x => 2.2 - x / 40).ToArray())],
        }.Save(_folder.File("loss"));

        Assert.Equal(_folder.File("loss.png"), files.Png);
        Assert.Equal(_folder.File("loss.svg"), files.Svg);
        using var bitmap = ImageChecks.Check(files, 800, 500);
        var dataArea = new SKRectI(80, 60, 650, 440);
        Assert.True(ImageChecks.Contains(bitmap, dataArea, Blue, 10), "the first series' line");
        Assert.True(ImageChecks.Contains(bitmap, dataArea, Orange, 10), "the second series' line");
        // Text renders (a font was found): the title's glyphs are dark pixels in the top band.
        Assert.True(ImageChecks.DarkPixels(bitmap, new SKRectI(300, 0, 500, 40)) > 30, "the title's text");
        Assert.Contains("train", File.ReadAllText(files.Svg));
    }

    [Fact]
    public void Line_chart_with_a_log_axis_leaves_out_points_it_cannot_draw()
    {
        var files = new LineChart
        {
            Title = "log", LogY = true, Markers = true,
            Series = [new Series("loss", [1, 2, 3, 4, 5, 6], [10, 1, 0.1, 0, -1, double.NaN])],
        }.Save(_folder.File("log.png"));

        using var bitmap = ImageChecks.Check(files, 800, 500);
        Assert.True(ImageChecks.Contains(bitmap, new SKRectI(60, 40, 680, 450), Blue, 10));
    }

    [Fact]
    public void Log_axis_labels_a_ladder_that_covers_the_range()
    {
        Assert.Equal([0.2, 0.5, 1, 2, 5], LogAxis.Majors(0.2, 2.3));
        Assert.Equal([0.001, 0.01, 0.1, 1, 10], LogAxis.Majors(0.003, 7));
        Assert.Equal([1, 2, 3], LogAxis.Majors(1.5, 2.5));
    }

    [Fact]
    public void Bar_chart_draws_one_bar_per_category_in_order()
    {
        var files = new BarChart
        {
            Title = "Test accuracy", YLabel = "accuracy", ValueFormat = "P1",
            Bars = [new("mlp", 0.97), new("cnn", 0.99), new("vit", 0.96)],
        }.Save(_folder.File("bars"));

        using var bitmap = ImageChecks.Check(files, 800, 500);
        double blue = MeanX(bitmap, Blue), orange = MeanX(bitmap, Orange), green = MeanX(bitmap, Green);
        Assert.True(blue < orange && orange < green, $"bars left to right: {blue}, {orange}, {green}");
        // The middle of the first bar, half way up, is its colour.
        Assert.True(ImageChecks.Distance(bitmap.GetPixel((int)blue, 300), Blue) <= 10);
        string svg = File.ReadAllText(files.Svg);
        Assert.Contains("97.0", svg);
        Assert.Contains("cnn", svg);
    }

    [Fact]
    public void Gradient_norm_figure_draws_a_line_per_run_with_layer_names()
    {
        string[] layers = ["stem", "stage1.0", "stage1.1", "stage2.0", "stage2.1", "stage3.0", "stage3.1", "classifier"];
        var files = new GradientNormFigure
        {
            Title = "Gradient norm per layer",
            Runs = [new LayerNorms("plain", layers, [0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1.2]), new LayerNorms("residual", layers, [0.5, 0.6, 0.6, 0.7, 0.7, 0.8, 0.9, 1.1])],
        }.Save(_folder.File("norms"));

        using var bitmap = ImageChecks.Check(files, 800, 500);
        var dataArea = new SKRectI(60, 40, 650, 420);
        Assert.True(ImageChecks.Contains(bitmap, dataArea, Blue, 10), "the plain run");
        Assert.True(ImageChecks.Contains(bitmap, dataArea, Orange, 10), "the residual run");
        string svg = File.ReadAllText(files.Svg);
        Assert.Contains("classifier", svg);
        Assert.Contains("residual", svg);
    }

    [Fact]
    public void Gradient_norm_figure_takes_runs_with_different_layers()
    {
        var files = new GradientNormFigure
        {
            Runs = [new LayerNorms("a", ["x", "y"], [1, 2]), new LayerNorms("b", ["x", "y", "z"], [1, 0, double.NaN])],
        }.Save(_folder.File("mixed"));
        using var bitmap = ImageChecks.Check(files, 800, 500);
        Assert.True(ImageChecks.Contains(bitmap, new SKRectI(0, 0, 800, 500), Blue, 10));
    }

    [Fact]
    public void Heatmap_row_zero_is_at_the_top_and_column_zero_at_the_left()
    {
        var values = new float[16];
        values[0] = 1; // [row 0, column 0] bright, everything else dark
        var grid = new ImageGrid { Tiles = ImageGrid.TilesOf(values, [4, 4]), Scale = ColorScale.Grayscale };
        var files = grid.Save(_folder.File("orientation"));

        var layout = grid.Layout();
        using var bitmap = ImageChecks.Check(files, layout.Width, layout.Height, minBytes: 200);
        var (left, top, right, bottom) = layout.Tile(0, 4, 4);
        double quarter = (right - left) / 4;
        SKColor Cell(int row, int column) => bitmap.GetPixel((int)(left + (column + 0.5) * quarter), (int)(top + (row + 0.5) * quarter));
        Assert.True(Cell(0, 0).Red > 200, $"top-left cell should be bright: {Cell(0, 0)}");
        Assert.True(Cell(3, 0).Red < 50, $"bottom-left cell should be dark: {Cell(3, 0)}");
        Assert.True(Cell(0, 3).Red < 50, $"top-right cell should be dark: {Cell(0, 3)}");
        Assert.True(Cell(3, 3).Red < 50, $"bottom-right cell should be dark: {Cell(3, 3)}");
    }

    [Fact]
    public void Image_grid_of_filters_has_a_titled_tile_per_output_channel()
    {
        var weights = Enumerable.Range(0, 6 * 9).Select(i => (float)Math.Sin(i)).ToArray();
        var grid = new ImageGrid { Title = "First-layer filters", Tiles = ImageGrid.TilesOf(weights, [6, 1, 3, 3], "filter "), Scale = ColorScale.Diverging };
        Assert.Equal(6, grid.Tiles.Count);
        Assert.Equal("filter 5", grid.Tiles[5].Title);
        Assert.Equal(MathF.Sin(9 * 5 + 3 + 2), grid.Tiles[5].Values[1, 2]);

        var files = grid.Save(_folder.File("filters"));
        var layout = grid.Layout();
        Assert.Equal(3, layout.Columns);
        Assert.Equal(2, layout.Rows);
        using var bitmap = ImageChecks.Check(files, layout.Width, layout.Height);
        Assert.Contains("filter 5", File.ReadAllText(files.Svg));
        Assert.True(ImageChecks.DarkPixels(bitmap, new SKRectI(0, 0, layout.Width, layout.TitleHeight)) > 30, "the title's text");
    }

    [Fact]
    public void Diverging_scale_is_blue_below_zero_white_at_zero_and_red_above()
    {
        // One row: ScottPlot draws nothing for a one-row heatmap unless the grid doubles it.
        var grid = new ImageGrid { Tiles = [new HeatmapTile("", new float[,] { { -0.6f, 0, 0.6f, -1, 1 } })], Scale = ColorScale.Diverging };
        var files = grid.Save(_folder.File("diverging"));
        var layout = grid.Layout();
        using var bitmap = ImageChecks.Check(files, layout.Width, layout.Height, minBytes: 200);
        var (left, top, right, bottom) = layout.Tile(0, 1, 5);
        double fifth = (right - left) / 5;
        SKColor Cell(int column) => bitmap.GetPixel((int)(left + (column + 0.5) * fifth), (int)((top + bottom) / 2));
        Assert.True(Cell(0).Blue > Cell(0).Red + 50, $"-0.6 should be blue: {Cell(0)}");
        Assert.True(Cell(1).Red > 220 && Cell(1).Green > 220 && Cell(1).Blue > 220, $"0 should be white: {Cell(1)}");
        Assert.True(Cell(2).Red > Cell(2).Blue + 50, $"+0.6 should be red: {Cell(2)}");
    }

    [Fact]
    public void Attention_maps_per_head_make_one_tile_each()
    {
        var maps = new float[2 * 3 * 3];
        for (int i = 0; i < maps.Length; i++) maps[i] = i;
        var tiles = ImageGrid.TilesOf(maps, [2, 3, 3], "head ");
        Assert.Equal(["head 0", "head 1"], tiles.Select(t => t.Title));
        Assert.Equal(9 + 3 * 2 + 1, tiles[1].Values[2, 1]);
        Assert.Equal(4, ImageGrid.TilesOf(new float[2 * 2 * 3 * 3], [2, 2, 3, 3]).Count);
        Assert.Throws<ArgumentException>(() => ImageGrid.TilesOf(new float[5], [2, 3]));
        Assert.Throws<ArgumentException>(() => ImageGrid.TilesOf(new float[2], [2]));
    }

    [Theory]
    [InlineData("out/fig", "out/fig.png", "out/fig.svg")]
    [InlineData("out/fig.png", "out/fig.png", "out/fig.svg")]
    [InlineData("out/fig.SVG", "out/fig.png", "out/fig.svg")]
    [InlineData("out/fig.v2", "out/fig.v2.png", "out/fig.v2.svg")]
    public void Figure_paths_replace_an_image_extension(string path, string png, string svg) =>
        Assert.Equal((png, svg), FigureStyle.Paths(path));
}
