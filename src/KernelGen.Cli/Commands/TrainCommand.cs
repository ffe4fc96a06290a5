using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Training;

namespace KernelGen.Cli.Commands;

/// <summary>
/// <c>kernelgen train &lt;architecture&gt;</c>: trains one vision architecture on MNIST or Fashion-MNIST (or the GPT on
/// Tiny Shakespeare), prints a line per epoch and the held-out accuracy, and writes metrics.jsonl in the run folder.
/// </summary>
internal static class TrainCommand
{
    public const string Usage =
        "kernelgen train <architecture> [--data mnist|fashion] [--epochs N] [--subset N] [--batch N] [--optimizer sgd|adamw] [--lr X] " +
        "[--momentum X] [--seed N] [--backend auto|webgpu|cpu] [--out FOLDER] [--checkpoint-every STEPS] [--resume]\n" +
        "kernelgen train gpt [--steps N] [--layers N] [--heads N] [--width N] [--context N] [--batch N] [--lr X] [--seed N] [--backend ...] [--out FOLDER] [--checkpoint-every STEPS] [--resume]\n" +
        "  (writes FOLDER/checkpoint.safetensors every STEPS steps, by default every epoch / every 10% of the gpt's steps, and at the end;\n" +
        "   --resume continues from it, with the same options, to the result of an uninterrupted run)";

    public static async Task<int> RunAsync(Options options, TextWriter output)
    {
        if (options.Positional.Count < 2) throw new UsageException("train needs an architecture: " + string.Join(", ", Catalog.Vision.Select(a => a.Name)) + ", gpt.");
        string name = options.Positional[1];
        if (name == "gpt") return await TrainGptAsync(options, output);
        var entry = Catalog.Find(name) ?? throw new UsageException($"Unknown architecture '{name}'; one of {string.Join(", ", Catalog.Vision.Select(a => a.Name))}, gpt.");
        string data = options.Text("data", "mnist", "mnist", "fashion");
        int epochs = options.Int("epochs", 1), batch = options.Int("batch", 64), seed = options.Int("seed", 1, 0);
        int subset = options.Int("subset", int.MaxValue);
        string optimizerName = options.Text("optimizer", entry.Name.StartsWith("mlp") || entry.Name == "perceptron" ? "sgd" : "adamw", "sgd", "adamw");
        float lr = options.Float("lr", optimizerName == "sgd" ? 0.1f : 1e-3f), momentum = options.Float("momentum", 0f);
        string backend = options.Text("backend", "auto", "auto", "webgpu", "cpu");
        string folder = options.Text("out", Path.Combine("runs", $"{entry.Name}-{data}"));
        int checkpointEvery = options.Int("checkpoint-every", 0);
        bool resume = options.Flag("resume");
        options.RejectUnknown();

        var train = (data == "fashion" ? DataSets.FashionMnist(Split.Train) : DataSets.Mnist(Split.Train)).Take(subset);
        var test = data == "fashion" ? DataSets.FashionMnist(Split.Test) : DataSets.Mnist(Split.Test);
        using var device = DeviceChoice.Open(backend, output);
        using var model = entry.Create(new Init(device, seed), new ImageShape(1, train.Height, train.Width), train.Classes);
        using Optimizer optimizer = optimizerName == "sgd"
            ? new Sgd(model.NamedParameters(), lr, momentum)
            : new AdamW(model.NamedParameters(), lr, weightDecay: 0f);
        int steps = epochs * ((train.Count + batch - 1) / batch);
        // Warm-up, then a cosine decay to a twentieth of the rate: the same schedule for both optimizers.
        var schedule = Schedule.WarmupCosine(lr, Math.Min(200, steps / 10), steps, lr / 20);
        using var trainer = new ClassifierTrainer(model, optimizer, new TrainingOptions { BatchSize = batch, Seed = seed, Schedule = schedule, LayerNormsEvery = 50 });
        var config = Config(("architecture", entry.Name), ("data", data), ("images", train.Count), ("epochs", epochs), ("batch", batch),
            ("optimizer", optimizerName), ("lr", lr), ("momentum", momentum), ("seed", seed));
        var checkpoint = new RunCheckpoint(folder, config, model, optimizer, resume, output);
        int batchesPerEpoch = (train.Count + batch - 1) / batch, every = checkpointEvery > 0 ? checkpointEvery : batchesPerEpoch;
        int done = optimizer.StepCount;
        await using var metrics = new StreamWriter(Path.Combine(folder, "metrics.jsonl"), append: resume);
        // Every layer's gradient norm every 50 steps: the plain-vs-residual comparison of docs/models.md.
        await using var norms = new StreamWriter(Path.Combine(folder, "gradient-norms.jsonl"), append: resume);
        output.WriteLine($"{entry.Name} ({model.ParameterCount:N0} parameters) on {data} ({train.Count:N0} training images), {device.Description}");
        var saveEvery = new Callback<StepMetrics>(m => { if (m.Step % every == 0) checkpoint.Save(); });
        for (int epoch = done / batchesPerEpoch; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            // A resumed run skips the batches of this epoch that the checkpoint had taken (the order is (seed, epoch)'s).
            int firstBatch = epoch == done / batchesPerEpoch ? done % batchesPerEpoch : 0;
            var stepMetrics = await trainer.TrainEpochAsync(train, epoch, saveEvery, default, firstBatch);
            double seconds = clock.Elapsed.TotalSeconds;
            var evaluation = await trainer.EvaluateAsync(test);
            double trainLoss = stepMetrics.Average(m => m.Loss);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch + 1}/{epochs}: train loss {trainLoss:F4}, test loss {evaluation.Loss:F4}, test accuracy {evaluation.Accuracy:P2}, {seconds:F1} s ({seconds * 1000 / stepMetrics.Count:F1} ms/step)"));
            await metrics.WriteLineAsync(JsonSerializer.Serialize(new
            {
                epoch = epoch + 1, train_loss = trainLoss, test_loss = evaluation.Loss, test_accuracy = evaluation.Accuracy,
                seconds, ms_per_step = seconds * 1000 / stepMetrics.Count, backend = device.Backend.ToString(),
            }));
            foreach (var (step, values) in trainer.LayerNormHistory)
                await norms.WriteLineAsync(JsonSerializer.Serialize(new { step, layers = trainer.LayerNames, norms = values }));
            trainer.LayerNormHistory.Clear();
        }
        checkpoint.SaveIfNew();
        return 0;
    }

    private static async Task<int> TrainGptAsync(Options options, TextWriter output)
    {
        int steps = options.Int("steps", 500), layers = options.Int("layers", 4), heads = options.Int("heads", 4), width = options.Int("width", 128);
        int context = options.Int("context", 64), batch = options.Int("batch", 32), seed = options.Int("seed", 1, 0);
        float lr = options.Float("lr", 1e-3f);
        string backend = options.Text("backend", "auto", "auto", "webgpu", "cpu");
        string folder = options.Text("out", Path.Combine("runs", "gpt"));
        int checkpointEvery = options.Int("checkpoint-every", 0);
        bool resume = options.Flag("resume");
        options.RejectUnknown();
        var text = DataSets.TinyShakespeare();
        using var device = DeviceChoice.Open(backend, output);
        using var model = new Gpt(new Init(device, seed), new GptConfig(text.VocabularySize, context, layers, heads, width));
        using var optimizer = new AdamW(model.NamedParameters(), lr, weightDecay: 0.1f);
        using var trainer = new LanguageModelTrainer(model, optimizer, text, new TrainingOptions
        {
            BatchSize = batch, Seed = seed, ClipNorm = 1f, Schedule = Schedule.WarmupCosine(lr, Math.Min(100, steps / 10), steps, lr / 10),
        });
        var config = Config(("architecture", "gpt"), ("vocabulary", text.VocabularySize), ("context", context), ("layers", layers),
            ("heads", heads), ("width", width), ("steps", steps), ("batch", batch), ("lr", lr), ("seed", seed));
        var checkpoint = new RunCheckpoint(folder, config, model, optimizer, resume, output);
        await using var metrics = new StreamWriter(Path.Combine(folder, "metrics.jsonl"), append: resume);
        output.WriteLine($"gpt ({model.ParameterCount:N0} parameters, {layers} layers, {heads} heads, width {width}, context {context}) on Tiny Shakespeare, {device.Description}");
        var clock = Stopwatch.StartNew();
        int every = Math.Max(1, steps / 10), saveEvery = checkpointEvery > 0 ? checkpointEvery : every, first = optimizer.StepCount + 1;
        for (int step = first; step <= steps; step++)
        {
            var m = await trainer.StepAsync();
            if (step % saveEvery == 0) checkpoint.Save();
            if (step % every != 0 && step != steps) continue;
            double validation = await trainer.EvaluateAsync(Split.Validation, 10);
            double seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"step {step}/{steps}: train loss {m.Loss:F4}, validation loss {validation:F4}, {seconds:F0} s ({seconds * 1000 / step:F0} ms/step)"));
            await metrics.WriteLineAsync(JsonSerializer.Serialize(new { step, train_loss = m.Loss, validation_loss = validation, seconds, backend = device.Backend.ToString() }));
        }
        checkpoint.SaveIfNew();
        var sample = await model.GenerateAsync(trainer.Pool, text.Encode("\n"), 300, new Random(seed), temperature: 0.8f, topK: 20);
        output.WriteLine("Sample:" + text.Decode(sample));
        return 0;
    }

    /// <summary>The run's configuration as checkpoint metadata (numbers in the invariant culture, floats round-tripping).</summary>
    private static Dictionary<string, string> Config(params (string Key, object Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value switch
        {
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString()!,
        }, StringComparer.Ordinal);

    /// <summary>An <see cref="IProgress{T}"/> that runs its action synchronously (after each step, before the next).</summary>
    private sealed class Callback<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }

    /// <summary>
    /// FOLDER/checkpoint.safetensors of a run: loaded on --resume after checking the configuration is the same (a
    /// difference is a usage error naming it), saved atomically (model, optimizer, configuration).
    /// </summary>
    private sealed class RunCheckpoint
    {
        private readonly Dictionary<string, string> config;
        private readonly Module model;
        private readonly Optimizer optimizer;
        private readonly TextWriter log;
        private int savedStep = -1;

        public RunCheckpoint(string folder, Dictionary<string, string> config, Module model, Optimizer optimizer, bool resume, TextWriter output)
        {
            Path = System.IO.Path.Combine(folder, "checkpoint.safetensors");
            this.config = config;
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
            savedStep = optimizer.StepCount;
            output.WriteLine($"resuming from {Path} at step {optimizer.StepCount}");
        }

        public string Path { get; }

        public void Save()
        {
            Checkpoint.Save(Path, model, optimizer, config);
            savedStep = optimizer.StepCount;
            log.WriteLine($"checkpoint at step {savedStep}: {Path}");
            log.Flush();
        }

        /// <summary>The final checkpoint, unless the last step's is already written.</summary>
        public void SaveIfNew()
        {
            if (savedStep != optimizer.StepCount) Save();
        }
    }
}
