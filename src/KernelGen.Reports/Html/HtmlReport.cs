using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KernelGen.Reports.Figures;

namespace KernelGen.Reports.Html;

/// <summary>
/// A report in one self-contained HTML file that works offline: a title, headings, paragraphs, preformatted text, tables, interactive
/// line charts (uPlot, inlined with its licence) and PNG figures (inlined as data URIs). Blocks appear in the order
/// they are added. All text is HTML-escaped; the charts' data sits as JSON in a <c>script type="application/json"</c>
/// element that the inlined script reads.
/// </summary>
/// <example><code>
/// var plain = RunFolder.Read("runs/plain20"); var residual = RunFolder.Read("runs/resnet20");
/// new HtmlReport("Plain vs residual")
///     .Paragraph("Two 20-layer networks on 6,000 Fashion-MNIST images.")
///     .Table(new Table("Test accuracy", ["run", "accuracy"], [["plain20", 0.73], ["resnet20", 0.77]]))
///     .Chart(new Chart("Loss", "epoch", "loss", [.. plain.LossCurves("plain"), .. residual.LossCurves("residual")]))
///     .Image("runs/gradient-norms.png", "Gradient norm per layer")
///     .Save("runs/report.html");
/// </code></example>
public sealed class HtmlReport
{
    private readonly List<Action<StringBuilder>> _blocks = [];
    private readonly List<(string Id, Chart Chart)> _charts = [];

    /// <summary>A report titled <paramref name="title"/> (the page's title and its first heading).</summary>
    public HtmlReport(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        Title = title;
    }

    /// <summary>The report's title.</summary>
    public string Title { get; }

    /// <summary>The id of the JSON element that holds the charts' data.</summary>
    public const string DataElementId = "report-data";

    /// <summary>Adds a section heading.</summary>
    public HtmlReport Heading(string text) => Add(html => html.Append("<h2>").Append(Escape(text)).Append("</h2>\n"));

    /// <summary>Adds a paragraph of plain text (escaped; blank lines inside it start new paragraphs).</summary>
    public HtmlReport Paragraph(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Add(html =>
        {
            foreach (string part in text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                html.Append("<p>").Append(Escape(part)).Append("</p>\n");
        });
    }

    /// <summary>Adds a note: a paragraph set apart (what was measured where, caveats).</summary>
    public HtmlReport Note(string text) => Add(html => html.Append("<p class=\"note\">").Append(Escape(text)).Append("</p>\n"));

    /// <summary>Adds text shown as it is, line breaks and spaces kept, in a monospaced font (a model's sample, a log).</summary>
    public HtmlReport Preformatted(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Add(html => html.Append("<pre>").Append(Escape(text.ReplaceLineEndings("\n"))).Append("</pre>\n"));
    }

    /// <summary>Adds a table.</summary>
    public HtmlReport Table(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Add(html =>
        {
            html.Append("<table>\n");
            if (table.Caption.Length > 0) html.Append("<caption>").Append(Escape(table.Caption)).Append("</caption>\n");
            html.Append("<thead><tr>");
            foreach (string column in table.Columns) html.Append("<th>").Append(Escape(column)).Append("</th>");
            html.Append("</tr></thead>\n<tbody>\n");
            foreach (var row in table.Rows)
            {
                html.Append("<tr>");
                foreach (var cell in row)
                {
                    var (text, numeric) = table.Format(cell);
                    html.Append(numeric ? "<td class=\"num\">" : "<td>").Append(Escape(text)).Append("</td>");
                }
                html.Append("</tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        });
    }

    /// <summary>Adds an interactive line chart.</summary>
    public HtmlReport Chart(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string id = $"chart-{_charts.Count}";
        _charts.Add((id, chart));
        return Add(html => html.Append("<figure class=\"chart\"><div id=\"").Append(id).Append("\"></div></figure>\n"));
    }

    /// <summary>Adds a PNG file (a figure of <see cref="Figures"/>), inlined as a data URI, with a caption.</summary>
    public HtmlReport Image(string pngPath, string caption = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(pngPath);
        string data = Convert.ToBase64String(File.ReadAllBytes(pngPath));
        return Add(html =>
        {
            html.Append("<figure><img alt=\"").Append(Escape(caption)).Append("\" src=\"data:image/png;base64,").Append(data).Append("\">");
            if (caption.Length > 0) html.Append("<figcaption>").Append(Escape(caption)).Append("</figcaption>");
            html.Append("</figure>\n");
        });
    }

    /// <summary>The whole page.</summary>
    public string Render()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Escape(Title)).Append("</title>\n")
            .Append("<!-- The charts use uPlot ").Append(ReportAssets.UPlotVersion)
            .Append(" (npm package uplot), inlined below under its licence:\n\n").Append(ReportAssets.UPlotLicense).Append("\n-->\n")
            .Append("<style>\n").Append(ReportAssets.UPlotStyle).Append("\n</style>\n")
            .Append("<style>\n").Append(ReportAssets.ReportStyle).Append("\n</style>\n")
            .Append("</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(Escape(Title)).Append("</h1>\n");
        foreach (var block in _blocks) block(html);
        html.Append("</main>\n")
            .Append("<script type=\"application/json\" id=\"").Append(DataElementId).Append("\">").Append(DataJson()).Append("</script>\n")
            .Append("<script>\n").Append(ReportAssets.UPlotScript).Append("\n</script>\n")
            .Append("<script>\n").Append(ReportAssets.ReportScript).Append("\n</script>\n")
            .Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/> (UTF-8, no byte-order mark), creating its folder.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Render(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private HtmlReport Add(Action<StringBuilder> block)
    {
        _blocks.Add(block);
        return this;
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>
    /// <c>{"charts": [{"id", "title", "xLabel", "yLabel", "logY", "series": [{"name", "color", "x": [..], "y": [..]}]}]}</c>;
    /// a point that is not finite (or not positive on a log axis) is null. The default encoder escapes &lt;, &gt; and
    /// &amp;, so no text can close the script element.
    /// </summary>
    private string DataJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            json.WriteStartObject();
            json.WriteStartArray("charts");
            foreach (var (id, chart) in _charts)
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteString("title", chart.Title);
                json.WriteString("xLabel", chart.XLabel);
                json.WriteString("yLabel", chart.YLabel);
                json.WriteBoolean("logY", chart.LogY);
                json.WriteStartArray("series");
                for (int i = 0; i < chart.Series.Count; i++)
                {
                    var series = chart.Series[i];
                    // uPlot wants each series' x ascending; drop points whose x is not finite.
                    var points = Enumerable.Range(0, series.Count).Select(j => (X: series.X[j], Y: series.Y[j]))
                        .Where(p => double.IsFinite(p.X)).OrderBy(p => p.X).ToList();
                    json.WriteStartObject();
                    json.WriteString("name", series.Name);
                    json.WriteString("color", FigureStyle.Palette[i % FigureStyle.Palette.Count]);
                    json.WriteStartArray("x");
                    foreach (var p in points) json.WriteNumberValue(p.X);
                    json.WriteEndArray();
                    json.WriteStartArray("y");
                    foreach (var p in points)
                        if (double.IsFinite(p.Y) && (!chart.LogY || p.Y > 0)) json.WriteNumberValue(p.Y);
                        else json.WriteNullValue();
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
