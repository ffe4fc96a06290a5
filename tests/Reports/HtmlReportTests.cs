using System.Text.Json;
using System.Text.RegularExpressions;
using KernelGen.Reports.Figures;
using KernelGen.Reports.Html;
using Xunit;

namespace KernelGen.Reports.Tests;

public sealed class HtmlReportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static HtmlReport Sample() => new HtmlReport("Plain <vs> residual")
        .Paragraph("Two networks & one data set.\n\nA second paragraph.")
        .Note("Measured on the CPU backend.")
        .Heading("Accuracy")
        .Table(new Table("Test accuracy", ["model", "accuracy", "steps"], [["plain20", 0.7298, 94], ["resnet<20>", 0.77331, 94], [null, double.NaN, 0]]))
        .Chart(new Chart("Loss", "epoch", "loss", [new Series("train", [1, 2, 3], [1.2, 0.6, double.NaN]), new Series("</script><b>test", [1, 3], [0.9, 0.5])]))
        .Chart(new Chart("Log loss", "step", "loss", [new Series("train", [1, 2], [1, 0])]) { LogY = true });

    /// <summary>The JSON of the report's data element.</summary>
    private static JsonElement Data(string html)
    {
        var match = Regex.Match(html, "<script type=\"application/json\" id=\"" + HtmlReport.DataElementId + "\">(.*?)</script>", RegexOptions.Singleline);
        Assert.True(match.Success, "the data element");
        return JsonDocument.Parse(match.Groups[1].Value).RootElement;
    }

    [Fact]
    public void Report_inlines_uplot_and_its_licence_and_loads_nothing_from_the_network()
    {
        string html = Sample().Render();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("var uPlot=function()", html);            // the library itself, not a reference to it
        Assert.Contains(".uplot", html);                           // its style sheet
        Assert.Contains("uPlot 1.6.32", html);
        Assert.Contains("Copyright (c) 2022 Leon Sorokin", html);  // its licence, in a comment
        Assert.Contains("Permission is hereby granted", html);
        Assert.DoesNotMatch(new Regex(@"<script[^>]*\ssrc\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<link[^>]*\shref\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"@import|url\(\s*[""']?https?:", RegexOptions.IgnoreCase), html);
    }

    [Fact]
    public void Text_is_escaped_and_tables_hold_their_values()
    {
        string html = Sample().Render();
        Assert.Contains("<title>Plain &lt;vs&gt; residual</title>", html);
        Assert.Contains("<h1>Plain &lt;vs&gt; residual</h1>", html);
        Assert.Contains("<p>Two networks &amp; one data set.</p>", html);
        Assert.Contains("<p>A second paragraph.</p>", html);
        Assert.Contains("<p class=\"note\">Measured on the CPU backend.</p>", html);
        Assert.Contains("<caption>Test accuracy</caption>", html);
        Assert.Contains("<th>accuracy</th>", html);
        Assert.Contains("<td>plain20</td><td class=\"num\">0.7298</td><td class=\"num\">94</td>", html);
        Assert.Contains("<td>resnet&lt;20&gt;</td><td class=\"num\">0.7733</td>", html);
        Assert.Contains("<td></td><td class=\"num\">NaN</td><td class=\"num\">0</td>", html);
        Assert.DoesNotContain("<b>test", html);
    }

    [Fact]
    public void Preformatted_text_keeps_its_lines_and_is_escaped()
    {
        string html = new HtmlReport("Sample").Preformatted("ROMEO:\r\nI <am>  here\n\n& there").Render();
        Assert.Contains("<pre>ROMEO:\nI &lt;am&gt;  here\n\n&amp; there</pre>", html);
    }

    [Fact]
    public void Chart_data_parses_back_from_the_json_element()
    {
        var charts = Data(Sample().Render()).GetProperty("charts");
        Assert.Equal(2, charts.GetArrayLength());
        var loss = charts[0];
        Assert.Equal("chart-0", loss.GetProperty("id").GetString());
        Assert.Equal("Loss", loss.GetProperty("title").GetString());
        Assert.Equal("epoch", loss.GetProperty("xLabel").GetString());
        Assert.False(loss.GetProperty("logY").GetBoolean());
        var train = loss.GetProperty("series")[0];
        Assert.Equal("train", train.GetProperty("name").GetString());
        Assert.Equal(FigureStyle.Palette[0], train.GetProperty("color").GetString());
        Assert.Equal([1.0, 2.0, 3.0], train.GetProperty("x").EnumerateArray().Select(e => e.GetDouble()));
        var y = train.GetProperty("y").EnumerateArray().ToList();
        Assert.Equal(1.2, y[0].GetDouble());
        Assert.Equal(JsonValueKind.Null, y[2].ValueKind); // NaN is a gap
        Assert.Equal("</script><b>test", loss.GetProperty("series")[1].GetProperty("name").GetString());
        // On a log axis a value at or below zero is a gap too.
        Assert.True(charts[1].GetProperty("logY").GetBoolean());
        Assert.Equal(JsonValueKind.Null, charts[1].GetProperty("series")[0].GetProperty("y")[1].ValueKind);
        string html = Sample().Render();
        Assert.Contains("<div id=\"chart-0\"></div>", html);
        Assert.Contains("<div id=\"chart-1\"></div>", html);
    }

    [Fact]
    public void Saved_report_embeds_png_figures_and_is_one_file()
    {
        var figure = new BarChart { Bars = [new("a", 1), new("b", 2)] }.Save(_folder.File("bars"));
        string path = _folder.File("sub/report.html");
        new HtmlReport("Figures").Image(figure.Png, "Two <bars>").Save(path);

        string html = File.ReadAllText(path);
        Assert.Contains("src=\"data:image/png;base64,", html);
        Assert.Contains("<figcaption>Two &lt;bars&gt;</figcaption>", html);
        var bytes = File.ReadAllBytes(path);
        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "no byte-order mark");
        Assert.Equal(0, Data(html).GetProperty("charts").GetArrayLength());
    }
}
