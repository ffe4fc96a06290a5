using System.Globalization;

namespace KernelGen.Reports.Html;

/// <summary>
/// A table of an HTML report: a caption, column headers and rows of cells. A cell is a string (as is), a number
/// (formatted with <see cref="NumberFormat"/> in the invariant culture, right-aligned) or null (empty).
/// </summary>
/// <example><code>
/// new Table("Test accuracy after two epochs", ["model", "accuracy", "ms/step"],
///     [["mlp", 0.976, 12.5], ["cnn", 0.989, 80.1]]) { NumberFormat = "0.###" }
/// </code></example>
public sealed record Table(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    /// <summary>The .NET format of floating-point cells ("0.####" by default; "P2" for percentages...).</summary>
    public string NumberFormat { get; init; } = "0.####";

    /// <summary>The text of a cell and whether it is a number.</summary>
    internal (string Text, bool Numeric) Format(object? cell) => cell switch
    {
        null => ("", false),
        string s => (s, false),
        double d => (d.ToString(NumberFormat, CultureInfo.InvariantCulture), true),
        float f => (((double)f).ToString(NumberFormat, CultureInfo.InvariantCulture), true),
        decimal m => (m.ToString(NumberFormat, CultureInfo.InvariantCulture), true),
        int or long or short or byte or uint or ulong or ushort or sbyte => (((IFormattable)cell).ToString(null, CultureInfo.InvariantCulture), true),
        IFormattable formattable => (formattable.ToString(null, CultureInfo.InvariantCulture), false),
        _ => (cell.ToString() ?? "", false),
    };
}

/// <summary>
/// An interactive line chart of an HTML report (zoom by dragging, values under the cursor, series toggled from the
/// legend): the same data as a <see cref="Figures.LineChart"/>.
/// </summary>
public sealed record Chart(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series)
{
    /// <summary>A logarithmic y axis (points with y ≤ 0 are left out).</summary>
    public bool LogY { get; init; }
}
