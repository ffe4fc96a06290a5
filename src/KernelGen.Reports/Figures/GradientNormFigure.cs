using ScottPlot;

namespace KernelGen.Reports.Figures;

/// <summary>
/// One run's gradient norm per layer, layers from the input to the output (what <c>gradient-norms.jsonl</c> holds
/// for one step, or a summary over steps such as <see cref="Runs.RunFolder.MedianGradientNorms"/>).
/// </summary>
public sealed record LayerNorms(string Run, IReadOnlyList<string> Layers, IReadOnlyList<double> Norms);

/// <summary>
/// The gradient norm of every layer (x: layer index from the input to the output, y: the norm on a log axis) for two
/// or more runs: the plain network's vanishing gradients against the residual one's.
/// </summary>
/// <example><code>
/// new GradientNormFigure { Title = "Gradient norm per layer (median, first 500 steps)",
///     Runs = [RunFolder.Read("runs/plain20").MedianGradientNorms(500), RunFolder.Read("runs/resnet20").MedianGradientNorms(500)] }
///     .Save("docs/figures/gradient-norms");
/// </code></example>
public sealed record GradientNormFigure
{
    /// <summary>The figure's title (none when empty).</summary>
    public string Title { get; init; } = "";

    /// <summary>The runs, one line each.</summary>
    public IReadOnlyList<LayerNorms> Runs { get; init; } = [];

    /// <summary>Size, fonts and colours.</summary>
    public FigureStyle Style { get; init; } = FigureStyle.Default;

    /// <summary>Writes the PNG and the SVG at <paramref name="path"/> (its extension, if .png or .svg, is replaced by each).</summary>
    public FigureFiles Save(string path)
    {
        // Layer names label the x axis when every run has the same layers; otherwise the indices do.
        bool sameLayers = Runs.Count > 0 && Runs.All(r => r.Layers.SequenceEqual(Runs[0].Layers));
        string xLabel = sameLayers ? "layer (input → output)" : "layer index (input → output)";
        return Style.Render(path, Title, xLabel, "gradient norm", plot =>
        {
            for (int i = 0; i < Runs.Count; i++)
            {
                var run = Runs[i];
                var points = Enumerable.Range(0, run.Norms.Count).Select(j => (X: (double)j, Y: run.Norms[j]))
                    .Where(p => double.IsFinite(p.Y) && p.Y > 0).ToList();
                var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => LogAxis.Map(p.Y)).ToArray(),
                    FigureStyle.SeriesColor(i));
                line.LineWidth = Style.LineWidth;
                line.MarkerShape = MarkerShape.FilledCircle;
                line.MarkerSize = 7;
                line.LegendText = run.Run;
            }
            LogAxis.Apply(plot, Runs.SelectMany(r => r.Norms));
            if (sameLayers)
            {
                var layers = Runs[0].Layers;
                plot.Axes.Bottom.SetTicks(Enumerable.Range(0, layers.Count).Select(j => (double)j).ToArray(), layers.ToArray());
                if (layers.Count > 6)
                {
                    plot.Axes.Bottom.TickLabelStyle.Rotation = -40;
                    plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
                    // ScottPlot sizes the axis panel for horizontal labels: make room for the rotated ones.
                    plot.Axes.Bottom.MinimumSize = (float)Math.Sin(Math.PI * 40 / 180) * 0.6f * Style.TickSize * layers.Max(l => l.Length) + Style.LabelSize * 2 + 12;
                    plot.Axes.Bottom.TickLabelStyle.OffsetY = 4;
                }
            }
            plot.ShowLegend(Edge.Right);
        });
    }
}
