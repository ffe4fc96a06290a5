using KernelGen.Reports.Figures;

namespace KernelGen.Reports.Runs;

/// <summary>
/// What a training run left in its folder (what <c>kernelgen train</c> writes): <c>metrics.jsonl</c> (per epoch or per
/// evaluation), <c>gradient-norms.jsonl</c> and <c>steps.jsonl</c> (per step), each optional, read into records and
/// into the series the figures and the HTML report take.
/// </summary>
/// <example><code>
/// var run = RunFolder.Read("runs/mlp");
/// new LineChart { Title = run.Name, XLabel = run.XAxis, YLabel = "loss", Series = run.LossCurves() }.Save("runs/mlp/loss");
/// </code></example>
public sealed class RunFolder
{
    /// <summary>The file names read.</summary>
    public const string MetricsFile = "metrics.jsonl", GradientNormsFile = "gradient-norms.jsonl", StepsFile = "steps.jsonl";

    private RunFolder(string path, string name, IReadOnlyList<MetricsRecord> metrics, IReadOnlyList<StepRecord> steps,
        IReadOnlyList<GradientNormRecord> gradientNorms)
    {
        Path = path;
        Name = name;
        Metrics = metrics;
        Steps = steps;
        GradientNorms = gradientNorms;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The run's name: the folder's name unless <see cref="Read"/> was given another.</summary>
    public string Name { get; }

    /// <summary>The lines of <c>metrics.jsonl</c> (empty when the file is missing).</summary>
    public IReadOnlyList<MetricsRecord> Metrics { get; }

    /// <summary>The lines of <c>steps.jsonl</c> (empty when the file is missing).</summary>
    public IReadOnlyList<StepRecord> Steps { get; }

    /// <summary>The lines of <c>gradient-norms.jsonl</c> (empty when the file is missing).</summary>
    public IReadOnlyList<GradientNormRecord> GradientNorms { get; }

    /// <summary>The x of the metrics: "epoch" when the lines have epochs (a vision run), otherwise "step" (the GPT).</summary>
    public string XAxis => Metrics.Count > 0 && Metrics.All(m => m.Epoch is not null) ? "epoch" : "step";

    /// <summary>
    /// Reads the folder's files. A missing file reads as no lines; a missing folder throws
    /// <see cref="DirectoryNotFoundException"/>; a malformed line throws <see cref="RunFormatException"/> naming the file and line.
    /// </summary>
    public static RunFolder Read(string path, string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"run folder {path} does not exist");
        string full = System.IO.Path.GetFullPath(path);
        name ??= System.IO.Path.GetFileName(full.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar));
        return new RunFolder(path, name,
            ReadLines(System.IO.Path.Combine(path, MetricsFile), ReadMetrics),
            ReadLines(System.IO.Path.Combine(path, StepsFile), ReadStep),
            ReadLines(System.IO.Path.Combine(path, GradientNormsFile), ReadGradientNorms));
    }

    /// <summary>
    /// A field of <c>metrics.jsonl</c> (its JSON name: "train_loss", "test_accuracy", "validation_loss", "seconds", ...)
    /// against <see cref="XAxis"/>, over the lines that have it; named <paramref name="name"/> or the field.
    /// </summary>
    public Series MetricCurve(string field, string? name = null)
    {
        bool byEpoch = XAxis == "epoch";
        var points = Metrics
            .Where(m => m.Values.ContainsKey(field) && (byEpoch ? m.Epoch : m.Step) is not null)
            .Select(m => ((double)(byEpoch ? m.Epoch : m.Step)!.Value, m.Values[field]));
        return Series.Of(name ?? field, points);
    }

    /// <summary>
    /// The loss curves of <c>metrics.jsonl</c> that have points: train, then test or validation, named "train loss"...
    /// (each prefixed with <paramref name="prefix"/> and a space when given, to tell runs apart in one chart).
    /// </summary>
    public IReadOnlyList<Series> LossCurves(string? prefix = null) =>
        new[] { ("train_loss", "train loss"), ("test_loss", "test loss"), ("validation_loss", "validation loss") }
            .Select(f => MetricCurve(f.Item1, Prefixed(prefix, f.Item2)))
            .Where(s => s.Count > 0)
            .ToList();

    /// <summary>Test accuracy against the epoch (no points for a run that does not measure it).</summary>
    public Series AccuracyCurve(string? name = null) => MetricCurve("test_accuracy", name ?? "test accuracy");

    /// <summary>A per-step field of <c>steps.jsonl</c> ("loss", "accuracy", "lr" or "seconds") against the step.</summary>
    public Series StepCurve(string field = "loss", string? name = null)
    {
        Func<StepRecord, double?> value = field switch
        {
            "loss" => s => s.Loss,
            "accuracy" => s => s.Accuracy,
            "lr" or "learning_rate" => s => s.LearningRate,
            "seconds" => s => s.Seconds,
            _ => throw new ArgumentException($"steps.jsonl has loss, accuracy, lr and seconds, not \"{field}\"", nameof(field)),
        };
        return Series.Of(name ?? field, Steps.Where(s => value(s) is not null).Select(s => ((double)s.Step, value(s)!.Value)));
    }

    /// <summary>
    /// Each layer's median gradient norm over the recorded steps up to <paramref name="maxStep"/> (what
    /// scripts/summarize-runs.py prints for docs/models.md), labelled with <see cref="Name"/>; the layers are those of
    /// the first line, and lines with other layers are left out.
    /// </summary>
    public LayerNorms MedianGradientNorms(int maxStep = int.MaxValue)
    {
        var rows = GradientNorms.Where(r => r.Step <= maxStep).ToList();
        if (rows.Count == 0)
            throw new InvalidOperationException($"{System.IO.Path.Combine(Path, GradientNormsFile)} has no line with a step up to {maxStep}");
        var layers = rows[0].Layers;
        rows = rows.Where(r => r.Layers.SequenceEqual(layers)).ToList();
        var medians = Enumerable.Range(0, layers.Count).Select(i =>
        {
            var values = rows.Select(r => r.Norms[i]).Where(double.IsFinite).Order().ToList();
            return values.Count == 0 ? double.NaN : values[values.Count / 2];
        }).ToArray();
        return new LayerNorms(Name, layers, medians);
    }

    /// <summary>The gradient norms recorded at the last step not after <paramref name="step"/> (the first line if none), labelled with <see cref="Name"/>.</summary>
    public LayerNorms GradientNormsAt(int step)
    {
        if (GradientNorms.Count == 0) throw new InvalidOperationException($"{System.IO.Path.Combine(Path, GradientNormsFile)} has no lines");
        var row = GradientNorms.LastOrDefault(r => r.Step <= step) ?? GradientNorms[0];
        return new LayerNorms($"{Name} (step {row.Step})", row.Layers, row.Norms);
    }

    private static string Prefixed(string? prefix, string name) => string.IsNullOrEmpty(prefix) ? name : $"{prefix} {name}";

    private static List<T> ReadLines<T>(string file, Func<JsonLine, T> read) =>
        File.Exists(file) ? JsonLine.ReadAll(file).Select(read).ToList() : [];

    private static MetricsRecord ReadMetrics(JsonLine line)
    {
        var record = new MetricsRecord(
            line.Integer("epoch"), line.Integer("step"), line.Number("train_loss"), line.Number("test_loss"), line.Number("test_accuracy"),
            line.Number("validation_loss"), line.Number("seconds"), line.Number("ms_per_step"), line.Text("backend"), line.Numbers());
        if (record.Epoch is null && record.Step is null) throw line.Error("a metrics line needs \"epoch\" or \"step\"");
        return record;
    }

    private static StepRecord ReadStep(JsonLine line) => new(
        line.RequiredInteger("step"), line.RequiredNumber("loss"), line.Number("accuracy"), line.Number("lr", "learning_rate"), line.Number("seconds"));

    private static GradientNormRecord ReadGradientNorms(JsonLine line)
    {
        var record = new GradientNormRecord(line.RequiredInteger("step"), line.RequiredTexts("layers"), line.RequiredNumbers("norms"));
        if (record.Layers.Count != record.Norms.Count)
            throw line.Error($"{record.Layers.Count} layers but {record.Norms.Count} norms");
        return record;
    }
}
