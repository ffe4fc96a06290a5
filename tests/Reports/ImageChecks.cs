using System.Xml.Linq;
using KernelGen.Reports;
using SkiaSharp;
using Xunit;

namespace KernelGen.Reports.Tests;

/// <summary>What every figure's files must be: a real PNG that decodes with something drawn, and an SVG document.</summary>
internal static class ImageChecks
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Checks both files and returns the decoded PNG (a chart is over a kilobyte; a tiny grid of flat cells is less).</summary>
    public static SKBitmap Check(FigureFiles files, int width, int height, int minBytes = 1000)
    {
        byte[] png = File.ReadAllBytes(files.Png);
        Assert.True(png.AsSpan(0, 8).SequenceEqual(PngSignature), "the PNG signature");
        Assert.True(png.Length > minBytes, $"a PNG of {png.Length} bytes is too small to hold a figure");
        var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);

        var svg = XDocument.Load(files.Svg);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        return bitmap;
    }

    /// <summary>How far a pixel is from a colour, the largest difference of the three channels.</summary>
    public static int Distance(SKColor a, SKColor b) =>
        Math.Max(Math.Abs(a.Red - b.Red), Math.Max(Math.Abs(a.Green - b.Green), Math.Abs(a.Blue - b.Blue)));

    /// <summary>Whether some pixel in the rectangle is within <paramref name="tolerance"/> of <paramref name="color"/>.</summary>
    public static bool Contains(SKBitmap bitmap, SKRectI area, SKColor color, int tolerance = 40)
    {
        for (int y = Math.Max(0, area.Top); y < Math.Min(bitmap.Height, area.Bottom); y++)
            for (int x = Math.Max(0, area.Left); x < Math.Min(bitmap.Width, area.Right); x++)
                if (Distance(bitmap.GetPixel(x, y), color) <= tolerance) return true;
        return false;
    }

    /// <summary>How many pixels in the rectangle are dark (text, axes): each channel below 100.</summary>
    public static int DarkPixels(SKBitmap bitmap, SKRectI area)
    {
        int count = 0;
        for (int y = Math.Max(0, area.Top); y < Math.Min(bitmap.Height, area.Bottom); y++)
            for (int x = Math.Max(0, area.Left); x < Math.Min(bitmap.Width, area.Right); x++)
            {
                var p = bitmap.GetPixel(x, y);
                if (p.Red < 100 && p.Green < 100 && p.Blue < 100) count++;
            }
        return count;
    }

    public static SKColor Hex(string hex) => SKColor.Parse(hex);
}
