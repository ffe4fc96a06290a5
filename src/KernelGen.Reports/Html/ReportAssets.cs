using System.Reflection;
using System.Text.Json;

namespace KernelGen.Reports.Html;

/// <summary>
/// The files embedded at build time and inlined into every report: uPlot's script, style sheet, licence and version
/// (from its npm package, pinned by web/package-lock.json), and the report's own script and style sheet.
/// </summary>
internal static class ReportAssets
{
    public static string UPlotScript => Cached.Script;

    public static string UPlotStyle => Cached.Style;

    public static string UPlotLicense => Cached.License;

    public static string UPlotVersion => Cached.Version;

    public static string ReportScript => Cached.ReportScript;

    public static string ReportStyle => Cached.ReportStyle;

    private static class Cached
    {
        public static readonly string Script = Inlinable(Load("uPlot.iife.min.js"), "</script");
        public static readonly string Style = Inlinable(Load("uPlot.min.css"), "</style");
        public static readonly string License = Load("uPlot.LICENSE").Replace("--", "- -", StringComparison.Ordinal).Trim();
        public static readonly string Version = JsonDocument.Parse(Load("uPlot.package.json")).RootElement.GetProperty("version").GetString()!;
        public static readonly string ReportScript = Inlinable(Load("report.js"), "</script");
        public static readonly string ReportStyle = Inlinable(Load("report.css"), "</style");
    }

    private static string Load(string name)
    {
        string resource = "KernelGen.Reports." + name;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"KernelGen.Reports was built without its resource {resource} (see scripts/install-report-assets.sh)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The text, checked to hold no closing tag of the element it is inlined into.</summary>
    private static string Inlinable(string text, string closingTag) =>
        text.Contains(closingTag, StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException($"an embedded asset contains \"{closingTag}\" and cannot be inlined")
            : text;
}
