using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KernelGen.Cli.Commands.Reporting;
using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Training;

namespace KernelGen.Cli.Commands.Training;

/// <summary>What a character-GPT run trains: the model's shape, the schedule, and the text (Tiny Shakespeare unless <see cref="TextFile"/>).</summary>
internal sealed record GptSettings
{
    public int Steps { get; init; } = 500;
    public int Layers { get; init; } = 4;
    public int Heads { get; init; } = 4;
    public int Width { get; init; } = 128;
    public int Context { get; init; } = 64;
    public int Batch { get; init; } = 32;
    public float LearningRate { get; init; } = 1e-3f;
    public int Seed { get; init; } = 1;
    public string Backend { get; init; } = "auto";
    public string? Out { get; init; }

    /// <summary>Save every this many steps (null: every tenth of the steps).</summary>
    public int? CheckpointEvery { get; init; }

    public bool Resume { get; init; }

    /// <summary>A UTF-8 text to train on instead of Tiny Shakespeare.</summary>
    public string? TextFile { get; init; }

    public string? DataDirectory { get; init; }

    public string Folder => Out ?? Path.Combine("runs", "gpt");
}

/// <summary>
/// Trains the character GPT (nanoGPT's recipe: AdamW with weight decay 0.1, clipping at 1, warm-up and cosine decay),
/// a line with the validation loss every tenth of the steps, then prints a sample. The checkpoint's metadata holds the
/// configuration and the vocabulary's characters, so <c>kernelgen sample</c> and <c>eval</c> rebuild the model; then
/// report.html and figures/ (<see cref="RunReport"/>).
/// </summary>
internal static class GptRun
{
    /// <summary>The checkpoint metadata key of the vocabulary's characters (in token order).</summary>
    public const string CharactersKey = "characters";

    public static async Task<int> RunAsync(GptSettings s, TrainingProgress progress, TextWriter errors, CancellationToken cancellationToken = default)
    {
        var output = progress.Log;
        var text = s.TextFile is { } file ? DataSets.TinyShakespeare(file) : DataSets.TinyShakespeare(dataDirectory: s.DataDirectory);
        string textName = s.TextFile is null ? "Tiny Shakespeare" : Path.GetFileName(s.TextFile);
        using var device = DeviceChoice.Open(s.Backend, errors);
        using var model = new Gpt(new Init(device, s.Seed), new GptConfig(text.VocabularySize, s.Context, s.Layers, s.Heads, s.Width));
        using var optimizer = new AdamW(model.NamedParameters(), s.LearningRate, weightDecay: 0.1f);
        using var trainer = new LanguageModelTrainer(model, optimizer, text, new TrainingOptions
        {
            BatchSize = s.Batch, Seed = s.Seed, ClipNorm = 1f, Schedule = Schedule.WarmupCosine(s.LearningRate, Math.Min(100, s.Steps / 10), s.Steps, s.LearningRate / 10),
        });
        var entries = new List<(string, object)>
        {
            ("architecture", "gpt"), ("vocabulary", text.VocabularySize), ("context", s.Context), ("layers", s.Layers),
            ("heads", s.Heads), ("width", s.Width), ("steps", s.Steps), ("batch", s.Batch), ("lr", s.LearningRate), ("seed", s.Seed),
        };
        if (s.TextFile is not null) entries.Add(("text", Path.GetFullPath(s.TextFile)));
        var config = RunCheckpoint.Config([.. entries]);
        // Stored, not compared on --resume (a checkpoint written before it existed still resumes). JSON cannot hold a
        // lone surrogate: a text with characters outside the BMP keeps only its path, and sample/eval need --text.
        string characters = new([.. text.Vocabulary.Characters]);
        var extra = characters.Any(char.IsSurrogate) ? null : new Dictionary<string, string> { [CharactersKey] = characters };
        string folder = s.Folder;
        var checkpoint = new RunCheckpoint(folder, config, model, optimizer, s.Resume, output, extra);
        var guard = new DivergenceGuard(checkpoint, s.LearningRate);
        int first = optimizer.StepCount + 1;
        using var stepLog = new StepLog(folder, s.Resume ? first - 1 : 0);
        checkpoint.BeforeSave = stepLog.Flush;
        await using var metrics = new StreamWriter(Path.Combine(folder, "metrics.jsonl"), append: s.Resume);
        output.WriteLine($"gpt ({model.ParameterCount:N0} parameters, {s.Layers} layers, {s.Heads} heads, width {s.Width}, context {s.Context}) on {textName}, {device.Description}");
        var clock = Stopwatch.StartNew();
        int every = Math.Max(1, s.Steps / 10), saveEvery = s.CheckpointEvery ?? every;
        await progress.RunAsync("gpt", s.Steps, first - 1, async tracker =>
        {
            for (int step = first; step <= s.Steps; step++)
            {
                var m = await trainer.StepAsync(cancellationToken);
                stepLog.Write(m, clock.Elapsed.TotalSeconds);
                tracker.Step(m);
                guard.Check(m);
                if (step % saveEvery == 0 && !guard.Diverging) checkpoint.Save();
                if (step % every != 0 && step != s.Steps) continue;
                double validation = await trainer.EvaluateAsync(Split.Validation, 10, cancellationToken);
                double seconds = clock.Elapsed.TotalSeconds;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"step {step}/{s.Steps}: train loss {m.Loss:F4}, validation loss {validation:F4}, {seconds:F0} s ({seconds * 1000 / (step - first + 1):F0} ms/step)"));
                await metrics.WriteLineAsync(JsonSerializer.Serialize(new { step, train_loss = m.Loss, validation_loss = validation, seconds, backend = device.Backend.ToString() }, VisionRun.Json));
            }
            return 0;
        });
        checkpoint.SaveIfNew();
        string start = text.Vocabulary.Characters.Contains('\n') ? "\n" : text.Text[..1];
        var sample = await model.GenerateAsync(trainer.Pool, text.Encode(start), 300, new Random(s.Seed), temperature: 0.8f, topK: 20, cancellationToken: cancellationToken);
        string sampleText = text.Decode(sample);
        output.WriteLine("Sample:" + sampleText);
        stepLog.Flush();
        await metrics.FlushAsync(cancellationToken);
        RunReport.TryWrite(new RunDescription($"gpt on {textName}", folder,
        [
            ("architecture", "gpt"), ("parameters", RunReport.Text(model.ParameterCount)), ("text", textName), ("vocabulary", RunReport.Text(text.VocabularySize)),
            ("layers", RunReport.Text(s.Layers)), ("heads", RunReport.Text(s.Heads)), ("width", RunReport.Text(s.Width)), ("context", RunReport.Text(s.Context)),
            ("steps", RunReport.Text(s.Steps)), ("batch", RunReport.Text(s.Batch)), ("learning rate", RunReport.Text(s.LearningRate)), ("seed", RunReport.Text(s.Seed)),
            ("device", device.Description),
        ]) { Sample = sampleText }, output, errors);
        return 0;
    }
}
