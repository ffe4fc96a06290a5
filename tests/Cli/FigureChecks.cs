using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>What the CLI's figures and reports must be: a PNG and an SVG per figure, one offline HTML file per report.</summary>
internal static class FigureChecks
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>STEM.png starts with the PNG signature and holds a picture; STEM.svg is an SVG document.</summary>
    public static void AssertFigure(string stem)
    {
        Assert.True(File.Exists(stem + ".png"), $"{stem}.png");
        byte[] png = File.ReadAllBytes(stem + ".png");
        Assert.True(png.Length > 1000 && png.AsSpan(0, 8).SequenceEqual(PngSignature), $"{stem}.png is not a PNG figure ({png.Length} bytes)");
        Assert.Equal("svg", XDocument.Load(stem + ".svg").Root!.Name.LocalName);
    }

    /// <summary>The report's HTML: the inlined uPlot, and no script or style sheet from the network.</summary>
    public static string AssertReport(string path)
    {
        Assert.True(File.Exists(path), path);
        string html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("var uPlot=function()", html);
        Assert.DoesNotMatch(new Regex(@"<script[^>]*\ssrc\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<link[^>]*\shref\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase), html);
        return html;
    }
}
