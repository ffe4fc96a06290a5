using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using KernelGen.Cli.Commands.Reporting;
using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Training;

namespace KernelGen.Cli.Commands.Training;

/// <summary>
/// What a vision run trains: the architecture (a <see cref="Catalog"/> name), its data and schedule. Null optimizer
/// and learning rate pick the architecture's defaults (<see cref="DefaultOptimizer"/>: SGD 0.1 for the perceptron and
/// the MLPs, AdamW 1e-3 for the rest); a null subset is every training image; a null folder is runs/&lt;name&gt;-&lt;data&gt;.
/// </summary>
internal sealed record VisionSettings(string Architecture)
{
    public string Data { get; init; } = "mnist";
    public int Epochs { get; init; } = 1;
    public int? Subset { get; init; }
    public int Batch { get; init; } = 64;
    public string? Optimizer { get; init; }
    public float? LearningRate { get; init; }
    public float Momentum { get; init; }
    public int Seed { get; init; } = 1;
    public string Backend { get; init; } = "auto";
    public string? Out { get; init; }

    /// <summary>Save every this many steps (null: at the end of every epoch).</summary>
    public int? CheckpointEvery { get; init; }

    public bool Resume { get; init; }

    /// <summary>Where data files are looked up first (the CLI's --data-dir).</summary>
    public string? DataDirectory { get; init; }

    public string OptimizerName => Optimizer ?? DefaultOptimizer(Architecture);

    public float Rate => LearningRate ?? (OptimizerName == "sgd" ? 0.1f : 1e-3f);

    public string Folder => Out ?? Path.Combine("runs", $"{Architecture}-{Data}");

    public static string DefaultOptimizer(string architecture) =>
        architecture.StartsWith("mlp", StringComparison.Ordinal) || architecture == "perceptron" ? "sgd" : "adamw";
}

/// <summary>What a vision run ended with (a row of <c>kernelgen compare</c>).</summary>
/// <param name="DeviceBytes">
/// What a training step holds on the device: parameters, their gradients, the optimizer's state and the step's
/// activations and temporaries (the buffer pool after the first step, before any evaluation); 0 if nothing was trained.
/// </param>
internal sealed record VisionResult(string Architecture, long Parameters, int TrainImages, int Epochs, double TestAccuracy, double TestLoss,
    double MsPerStep, double Seconds, string Backend, string Folder, long DeviceBytes = 0);

/// <summary>
/// Trains one vision architecture on MNIST or Fashion-MNIST: a line per epoch with the held-out accuracy, the run
/// folder's metrics.jsonl (per epoch), steps.jsonl (per step), gradient-norms.jsonl (every layer, every 50 steps) and
/// checkpoint.safetensors (every epoch or --checkpoint-every steps, and at the end), then report.html and figures/
/// (<see cref="RunReport"/>). Stops when the loss diverges.
/// </summary>
internal static class VisionRun
{
    internal static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };


    public static async Task<VisionResult> RunAsync(VisionSettings s, TrainingProgress progress, TextWriter errors, CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        var entry = Catalog.Find(s.Architecture) ?? throw new UsageException($"Unknown architecture '{s.Architecture}'.");
        var output = progress.Log;
        var task = Tasks.Load(s.Data, s.DataDirectory);
        var (train, test) = (task.Train.Take(s.Subset ?? int.MaxValue), task.Test);
        using var device = DeviceChoice.Open(s.Backend, errors);
        using var model = entry.Create(new Init(device, s.Seed), new ImageShape(1, train.Height, train.Width), train.Classes);
        float lr = s.Rate;
        using Optimizer optimizer = s.OptimizerName == "sgd"
            ? new Sgd(model.NamedParameters(), lr, s.Momentum)
            : new AdamW(model.NamedParameters(), lr, weightDecay: 0f);
        int batchesPerEpoch = (train.Count + s.Batch - 1) / s.Batch, steps = s.Epochs * batchesPerEpoch;
        // Warm-up, then a cosine decay to a twentieth of the rate: the same schedule for both optimizers.
        var schedule = Schedule.WarmupCosine(lr, Math.Min(200, steps / 10), steps, lr / 20);
        using var trainer = new ClassifierTrainer(model, optimizer, new TrainingOptions { BatchSize = s.Batch, Seed = s.Seed, Schedule = schedule, LayerNormsEvery = 50 });
        var config = RunCheckpoint.Config(("architecture", entry.Name), ("data", s.Data), ("images", train.Count), ("epochs", s.Epochs), ("batch", s.Batch),
            ("optimizer", s.OptimizerName), ("lr", lr), ("momentum", s.Momentum), ("seed", s.Seed));
        string folder = s.Folder;
        var checkpoint = new RunCheckpoint(folder, config, model, optimizer, s.Resume, output);
        int every = s.CheckpointEvery ?? batchesPerEpoch, done = optimizer.StepCount;
        var guard = new DivergenceGuard(checkpoint, lr);
        using var stepLog = new StepLog(folder, s.Resume ? done : 0);
        checkpoint.BeforeSave = stepLog.Flush;
        await using var metrics = new StreamWriter(Path.Combine(folder, "metrics.jsonl"), append: s.Resume);
        // Every layer's gradient norm every 50 steps: the plain-vs-residual comparison of docs/models.md.
        await using var norms = new StreamWriter(Path.Combine(folder, "gradient-norms.jsonl"), append: s.Resume);
        output.WriteLine($"{entry.Name} ({model.ParameterCount:N0} parameters) on {s.Data} ({train.Count:N0} training images), {device.Description}");

        Evaluation? evaluation = null;
        long stepBytes = 0;
        double trainSeconds = 0;
        int trainedSteps = 0;
        await progress.RunAsync($"{entry.Name} on {s.Data}", steps, done, async tracker =>
        {
            var afterStep = new Callback<StepMetrics>(m =>
            {
                if (stepBytes == 0) stepBytes = trainer.Pool.RetainedBytes;   // the first step's working set, returned to the pool
                stepLog.Write(m, total.Elapsed.TotalSeconds);
                tracker.Step(m);
                guard.Check(m);
                if (m.Step % every == 0 && !guard.Diverging) checkpoint.Save();
            });
            for (int epoch = done / batchesPerEpoch; epoch < s.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                // A resumed run skips the batches of this epoch that the checkpoint had taken (the order is (seed, epoch)'s).
                int firstBatch = epoch == done / batchesPerEpoch ? done % batchesPerEpoch : 0;
                tracker.BeginEpoch(epoch, batchesPerEpoch - firstBatch);
                var stepMetrics = await trainer.TrainEpochAsync(train, epoch, afterStep, cancellationToken, firstBatch);
                double seconds = clock.Elapsed.TotalSeconds;
                trainSeconds += seconds;
                trainedSteps += stepMetrics.Count;
                stepLog.Flush();
                evaluation = await trainer.EvaluateAsync(test, cancellationToken: cancellationToken);
                double trainLoss = stepMetrics.Average(m => m.Loss);
                var e = evaluation.Value;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch + 1}/{s.Epochs}: train loss {trainLoss:F4}, test loss {e.Loss:F4}, test accuracy {e.Accuracy:P2}, {seconds:F1} s ({seconds * 1000 / stepMetrics.Count:F1} ms/step)"));
                await metrics.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    epoch = epoch + 1, train_loss = trainLoss, test_loss = e.Loss, test_accuracy = e.Accuracy,
                    seconds, ms_per_step = seconds * 1000 / stepMetrics.Count, backend = device.Backend.ToString(),
                }, Json));
                foreach (var (step, values) in trainer.LayerNormHistory)
                    await norms.WriteLineAsync(JsonSerializer.Serialize(new { step, layers = trainer.LayerNames, norms = values }, Json));
                trainer.LayerNormHistory.Clear();
            }
            return 0;
        });
        checkpoint.SaveIfNew();
        // A resumed run that had nothing left to train still reports its model's accuracy.
        var final = evaluation ?? await trainer.EvaluateAsync(test, cancellationToken: cancellationToken);
        // The report reads the run's files: everything written so far goes to disk first.
        stepLog.Flush();
        await metrics.FlushAsync(cancellationToken);
        await norms.FlushAsync(cancellationToken);
        RunReport.TryWrite(new RunDescription($"{entry.Name} on {s.Data}", folder,
        [
            ("architecture", entry.Name), ("parameters", RunReport.Text(model.ParameterCount)), ("data", s.Data), ("training images", RunReport.Text(train.Count)),
            ("test images", RunReport.Text(test.Count)), ("epochs", RunReport.Text(s.Epochs)), ("batch", RunReport.Text(s.Batch)),
            ("optimizer", s.OptimizerName), ("learning rate", RunReport.Text(lr)), ("momentum", RunReport.Text(s.Momentum)), ("seed", RunReport.Text(s.Seed)),
            ("device", device.Description),
        ]) { StepsPerEpoch = batchesPerEpoch }, output, errors);
        return new VisionResult(entry.Name, model.ParameterCount, train.Count, s.Epochs, final.Accuracy, final.Loss,
            trainedSteps > 0 ? trainSeconds * 1000 / trainedSteps : double.NaN, total.Elapsed.TotalSeconds, device.Backend.ToString(), folder,
            stepBytes == 0 ? 0 : 2 * 4 * model.ParameterCount + optimizer.State().Sum(b => (long)b.Buffer.Length * 4) + stepBytes);
    }
}

/// <summary>An <see cref="IProgress{T}"/> that runs its action synchronously (after each step, before the next).</summary>
internal sealed class Callback<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
