using System.Globalization;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Training;

namespace KernelGen.Cli.Commands.Training;

/// <summary>
/// FOLDER/checkpoint.safetensors of a run: loaded on --resume after checking the configuration is the same (a
/// difference is a usage error naming it), saved atomically (model, optimizer, configuration, and
/// <paramref name="extra"/> metadata that is stored but not compared) with a line "checkpoint at step N: PATH".
/// </summary>
internal sealed class RunCheckpoint
{
    private readonly Dictionary<string, string> config, metadata;
    private readonly Module model;
    private readonly Optimizer optimizer;
    private readonly TextWriter log;

    public RunCheckpoint(string folder, Dictionary<string, string> config, Module model, Optimizer optimizer, bool resume, TextWriter output,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        Path = System.IO.Path.Combine(folder, "checkpoint.safetensors");
        this.config = config;
        metadata = new Dictionary<string, string>(config, StringComparer.Ordinal);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) metadata[key] = value;
        this.model = model;
        this.optimizer = optimizer;
        log = output;
        Directory.CreateDirectory(folder);
        if (!resume) return;
        if (!File.Exists(Path)) throw new UsageException($"--resume: there is no checkpoint at {Path}.");
        var stored = Checkpoint.ReadMetadata(Path);
        var differences = config.Where(kv => !stored.TryGetValue(kv.Key, out var value) || value != kv.Value)
            .Select(kv => $"{kv.Key} {(stored.TryGetValue(kv.Key, out var value) ? value : "(none)")} in the checkpoint, {kv.Value} in this run").ToList();
        if (differences.Count > 0)
            throw new UsageException($"--resume: {Path} was made with another configuration: {string.Join("; ", differences)}.");
        Checkpoint.Load(Path, model, optimizer);
        SavedStep = optimizer.StepCount;
        HasFile = true;
        output.WriteLine($"resuming from {Path} at step {optimizer.StepCount}");
    }

    public string Path { get; }

    /// <summary>Whether <see cref="Path"/> holds this run's checkpoint (saved or resumed from).</summary>
    public bool HasFile { get; private set; }

    /// <summary>The step of the checkpoint in <see cref="Path"/> (-1 before the first).</summary>
    public int SavedStep { get; private set; } = -1;

    /// <summary>Runs before each save (the step log flushes, so it holds every step the checkpoint has).</summary>
    public Action? BeforeSave { get; set; }

    public void Save()
    {
        BeforeSave?.Invoke();
        Checkpoint.Save(Path, model, optimizer, metadata);
        SavedStep = optimizer.StepCount;
        HasFile = true;
        log.WriteLine($"checkpoint at step {SavedStep}: {Path}");
        log.Flush();
    }

    /// <summary>The final checkpoint, unless the last step's is already written.</summary>
    public void SaveIfNew()
    {
        if (SavedStep != optimizer.StepCount) Save();
    }

    /// <summary>A run's configuration as checkpoint metadata (numbers in the invariant culture, floats round-tripping).</summary>
    public static Dictionary<string, string> Config(params (string Key, object Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value switch
        {
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString()!,
        }, StringComparer.Ordinal);
}
