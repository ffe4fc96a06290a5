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
        "[--momentum X] [--seed N] [--backend auto|webgpu|cpu] [--out FOLDER]\n" +
        "kernelgen train gpt [--steps N] [--layers N] [--heads N] [--width N] [--context N] [--batch N] [--lr X] [--seed N] [--backend ...] [--out FOLDER]";

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
        Directory.CreateDirectory(folder);
        await using var metrics = new StreamWriter(Path.Combine(folder, "metrics.jsonl"));
        // Every layer's gradient norm every 50 steps: the plain-vs-residual comparison of docs/models.md.
        await using var norms = new StreamWriter(Path.Combine(folder, "gradient-norms.jsonl"));
        output.WriteLine($"{entry.Name} ({model.ParameterCount:N0} parameters) on {data} ({train.Count:N0} training images), {device.Description}");
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var stepMetrics = await trainer.TrainEpochAsync(train, epoch);
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
        return 0;
    }

    private static async Task<int> TrainGptAsync(Options options, TextWriter output)
    {
        int steps = options.Int("steps", 500), layers = options.Int("layers", 4), heads = options.Int("heads", 4), width = options.Int("width", 128);
        int context = options.Int("context", 64), batch = options.Int("batch", 32), seed = options.Int("seed", 1, 0);
        float lr = options.Float("lr", 1e-3f);
        string backend = options.Text("backend", "auto", "auto", "webgpu", "cpu");
        string folder = options.Text("out", Path.Combine("runs", "gpt"));
        options.RejectUnknown();
        var text = DataSets.TinyShakespeare();
        using var device = DeviceChoice.Open(backend, output);
        using var model = new Gpt(new Init(device, seed), new GptConfig(text.VocabularySize, context, layers, heads, width));
        using var optimizer = new AdamW(model.NamedParameters(), lr, weightDecay: 0.1f);
        using var trainer = new LanguageModelTrainer(model, optimizer, text, new TrainingOptions
        {
            BatchSize = batch, Seed = seed, ClipNorm = 1f, Schedule = Schedule.WarmupCosine(lr, Math.Min(100, steps / 10), steps, lr / 10),
        });
        Directory.CreateDirectory(folder);
        await using var metrics = new StreamWriter(Path.Combine(folder, "metrics.jsonl"));
        output.WriteLine($"gpt ({model.ParameterCount:N0} parameters, {layers} layers, {heads} heads, width {width}, context {context}) on Tiny Shakespeare, {device.Description}");
        var clock = Stopwatch.StartNew();
        int every = Math.Max(1, steps / 10);
        for (int step = 1; step <= steps; step++)
        {
            var m = await trainer.StepAsync();
            if (step % every != 0 && step != steps) continue;
            double validation = await trainer.EvaluateAsync(Split.Validation, 10);
            double seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"step {step}/{steps}: train loss {m.Loss:F4}, validation loss {validation:F4}, {seconds:F0} s ({seconds * 1000 / step:F0} ms/step)"));
            await metrics.WriteLineAsync(JsonSerializer.Serialize(new { step, train_loss = m.Loss, validation_loss = validation, seconds, backend = device.Backend.ToString() }));
        }
        var sample = await model.GenerateAsync(trainer.Pool, text.Encode("\n"), 300, new Random(seed), temperature: 0.8f, topK: 20);
        output.WriteLine("Sample:" + text.Decode(sample));
        return 0;
    }
}
