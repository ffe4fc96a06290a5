using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Optim;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Training;

/// <summary>
/// Trains the character <see cref="Gpt"/> the way nanoGPT does: each step draws <see cref="TrainingOptions.BatchSize"/>
/// random windows of the training text and learns to predict every next character of each; one submit per step and
/// one read-back (loss and gradient norm).
/// </summary>
public sealed class LanguageModelTrainer : IDisposable
{
    private const int LossSlot = 0, NormSlot = 1;
    private readonly MetricSlots metrics;
    // Its own buffer: a kernel may not write one view of a buffer while reading another (the norm's slot).
    private readonly GpuBuffer<float> clipScale;
    private readonly bool ownsPool;
    private readonly int[] inputs, targets;

    public LanguageModelTrainer(Gpt model, Optimizer optimizer, TextDataSet text, TrainingOptions? options = null, BufferPool? pool = null)
    {
        Model = model;
        Optimizer = optimizer;
        Text = text;
        Options = options ?? new TrainingOptions { BatchSize = 32 };
        Device = optimizer.Parameters[0].Tensor.Device;
        Pool = pool ?? new BufferPool(Device);
        ownsPool = pool is null;
        metrics = new MetricSlots(Device, 2);
        clipScale = Device.CreateBuffer<float>(1);
        inputs = new int[Options.BatchSize * model.Config.Context];
        targets = new int[inputs.Length];
    }

    public Gpt Model { get; }

    public Optimizer Optimizer { get; }

    public TextDataSet Text { get; }

    public TrainingOptions Options { get; }

    public ComputeDevice Device { get; }

    public BufferPool Pool { get; }

    /// <summary>
    /// The random stream that draws the windows of step <paramref name="step"/>: a fresh <see cref="Random"/> per step,
    /// seeded from (seed, step) alone, so a run resumed from a checkpoint (which restores the optimizer's step count)
    /// draws exactly the windows the uninterrupted run would have, with no generator state to save.
    /// </summary>
    public static Random BatchRandom(int seed, int step) => new(MixSeed(seed, step));

    /// <summary>
    /// (seed, step) hashed to a Random seed with SplitMix64's finaliser: Random's seeding maps adjacent seeds to
    /// correlated first draws, so seed + step would not do. Fixed across processes and .NET versions (unlike HashCode).
    /// </summary>
    public static int MixSeed(int seed, int step)
    {
        ulong z = unchecked(((ulong)(uint)seed << 32 | (uint)step) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }

    /// <summary>One step on a freshly drawn batch of training windows (drawn by <see cref="BatchRandom"/> of this step).</summary>
    public async Task<StepMetrics> StepAsync(CancellationToken cancellationToken = default)
    {
        int batch = Options.BatchSize, context = Model.Config.Context, vocab = Model.Config.Vocabulary;
        int step = Optimizer.StepCount;
        Text.SampleBatch(BatchRandom(Options.Seed, step), batch, context, inputs, targets, Split.Train);
        if (Options.Schedule is { } schedule) Optimizer.LearningRate = schedule(step);
        Model.Train();
        using (Device.BeginBatch())
        using (var graph = new Graph(Pool) { Training = true, Seed = (uint)(Options.Seed * 7919 + step) })
        {
            var logits = Model.Forward(graph.Indices(inputs, new Shape(batch, context), vocab, "token"));
            var loss = CrossEntropy(logits, graph.Indices(targets, new Shape(batch * context), vocab, "token"));
            Model.ZeroGrad();
            loss.Backward();
            GradientClipping.GuardedStep(Device, Model.Parameters(), Optimizer, loss, metrics, LossSlot, NormSlot, clipScale, Options);
        }
        var values = await metrics.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StepMetrics(Optimizer.StepCount, batch * context, values[LossSlot], float.NaN, Options.MeasuresNorm ? MathF.Sqrt(values[NormSlot]) : null, Optimizer.LearningRate);
    }

    /// <summary>
    /// The mean loss over <paramref name="batchCount"/> batches of windows of <paramref name="split"/>, drawn from a
    /// fixed seed so every evaluation of a run sees the same windows (nanoGPT's estimate_loss).
    /// </summary>
    public Task<double> EvaluateAsync(Split split, int batchCount = 20, CancellationToken cancellationToken = default) =>
        Evaluate(Model, Pool, Text, split, Options.BatchSize, batchCount, cancellationToken);

    public static async Task<double> Evaluate(Gpt model, BufferPool pool, TextDataSet text, Split split, int batchSize, int batchCount,
        CancellationToken cancellationToken = default)
    {
        var device = pool.Device;
        int context = model.Config.Context, vocab = model.Config.Vocabulary;
        var random = new Random(12345);
        var x = new int[batchSize * context];
        var y = new int[x.Length];
        double total = 0;
        model.Eval();
        using var slot = new MetricSlots(device, 1);
        for (int b = 0; b < batchCount; b++)
        {
            text.SampleBatch(random, batchSize, context, x, y, split);
            using (device.BeginBatch())
            using (var graph = new Graph(pool, recordGradients: false) { Training = false })
            {
                var logits = model.Forward(graph.Indices(x, new Shape(batchSize, context), vocab, "token"));
                var loss = CrossEntropy(logits, graph.Indices(y, new Shape(batchSize * context), vocab, "token"));
                device.Copy(loss.Buffer, 0, slot.Buffer, 0, 1);
            }
            total += (await slot.ReadAsync(cancellationToken).ConfigureAwait(false))[0];
        }
        model.Train();
        return total / batchCount;
    }

    public void Dispose()
    {
        metrics.Dispose();
        clipScale.Dispose();
        if (ownsPool) Pool.Dispose();
    }
}
