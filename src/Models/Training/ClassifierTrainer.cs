using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Kernels;
using KernelGen.Models.Optim;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Training;

/// <summary>How a run trains: the batch, the seed of its shuffling and dropout, clipping and the rate schedule.</summary>
public sealed record TrainingOptions
{
    public int BatchSize { get; init; } = 64;

    public int Seed { get; init; } = 1;

    /// <summary>Clip the gradients' global norm to this (null: no clipping).</summary>
    public float? ClipNorm { get; init; }

    /// <summary>
    /// Measure the gradients' global norm every step (always when clipping): five more dispatches, about 6% of an MLP
    /// step on lavapipe. Without it a step is guarded by its loss alone.
    /// </summary>
    public bool MeasureGradientNorm { get; init; }

    internal bool MeasuresNorm => MeasureGradientNorm || ClipNorm is not null;

    /// <summary>The learning rate per step; null keeps the optimizer's.</summary>
    public Func<int, float>? Schedule { get; init; }

    /// <summary>Measure every layer's gradient norm every this many steps (0: never); see <see cref="LayerGradientNorms"/>.</summary>
    public int LayerNormsEvery { get; init; }
}

/// <summary>
/// Trains an <see cref="ImageClassifier"/>: each step is one batch recorded into one <see cref="ComputeBatch"/> (one
/// submit): forward, loss, backward, clipping, update, and the metrics written into <see cref="MetricSlots"/>,
/// which is all that is read back (one asynchronous read, so the same loop runs where nothing may block).
/// </summary>
public sealed class ClassifierTrainer : IDisposable
{
    private const int LossSlot = 0, CorrectSlot = 1, NormSlot = 2;
    private readonly MetricSlots metrics;
    // Its own buffer: a kernel may not write one view of a buffer while reading another (the norm's slot).
    private readonly GpuBuffer<float> clipScale;
    private float[] images = [];
    private int[] labels = [];

    public ClassifierTrainer(ImageClassifier model, Optimizer optimizer, TrainingOptions? options = null, BufferPool? pool = null)
    {
        Model = model;
        Optimizer = optimizer;
        Options = options ?? new TrainingOptions();
        Device = optimizer.Parameters[0].Tensor.Device;
        Pool = pool ?? new BufferPool(Device);
        ownsPool = pool is null;
        metrics = new MetricSlots(Device, 3);
        if (Options.LayerNormsEvery > 0) layerNorms = new LayerGradientNorms(Device, model.Children());
        clipScale = Device.CreateBuffer<float>(1);
    }

    private readonly bool ownsPool;
    private readonly LayerGradientNorms? layerNorms;
    private bool layerNormsRecorded;

    public ImageClassifier Model { get; }

    public Optimizer Optimizer { get; }

    public TrainingOptions Options { get; }

    public ComputeDevice Device { get; }

    public BufferPool Pool { get; }

    /// <summary>The layers' names and, per measured step, their gradient norms (<see cref="TrainingOptions.LayerNormsEvery"/>).</summary>
    public IReadOnlyList<string> LayerNames => layerNorms?.Names ?? [];

    public List<(int Step, float[] Norms)> LayerNormHistory { get; } = [];

    /// <summary>Dispatches of the last step (both backends count them).</summary>
    public int LastStepDispatches { get; private set; }

    /// <summary>Submits of the last step's batch (1 on WebGPU: the whole step is one command buffer; 0 on the CPU backend).</summary>
    public int LastStepSubmits { get; private set; }

    /// <summary>
    /// Records one step on <paramref name="count"/> images ([count, channels, height, width] values) and their labels
    /// into one batch and submits it. Read the metrics with <see cref="ReadMetricsAsync"/>.
    /// </summary>
    public void RecordStep(ReadOnlySpan<float> batchImages, ReadOnlySpan<int> batchLabels, int count)
    {
        var input = Model.Input;
        if (batchImages.Length < count * input.Pixels || batchLabels.Length < count)
            throw new ArgumentException($"A batch of {count} needs {count * input.Pixels} pixel values and {count} labels; got {batchImages.Length} and {batchLabels.Length}.");
        int step = Optimizer.StepCount;
        if (Options.Schedule is { } schedule) Optimizer.LearningRate = schedule(step);
        Model.Train();
        var batch = Device.BeginBatch();
        try
        {
            using (var graph = new Graph(Pool) { Training = true, Seed = (uint)(Options.Seed * 7919 + step) })
            {
                var x = graph.Input(batchImages[..(count * input.Pixels)], new Shape(count, input.Channels, input.Height, input.Width));
                var y = graph.Indices(batchLabels[..count], new Shape(count), Model.Classes);
                var logits = Model.Forward(x);
                var loss = CrossEntropy(logits, y);
                Model.ZeroGrad();
                loss.Backward();
                layerNormsRecorded = layerNorms is not null && step % Options.LayerNormsEvery == 0;
                if (layerNormsRecorded) layerNorms!.Record(Device);
                GradientClipping.GuardedStep(Device, Model.Parameters(), Optimizer, loss, metrics, LossSlot, NormSlot, clipScale, Options);
                var correct = graph.Rent<float>(count);
                Ops.Correct(Device, logits.Buffer, y.Buffer, correct, count, Model.Classes);
                Ops.Reduce(Device, ReduceKind.Sum, correct, metrics[CorrectSlot], 1, count, 1);
            }
        }
        finally
        {
            batch.Dispose();
        }
        LastStepDispatches = batch.DispatchCount;
        LastStepSubmits = batch.SubmitCount;
        lastCount = count;
    }

    private int lastCount;

    /// <summary>The metrics of the last recorded step (waits for it without blocking a thread).</summary>
    public async Task<StepMetrics> ReadMetricsAsync(CancellationToken cancellationToken = default)
    {
        var values = await metrics.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (layerNormsRecorded) LayerNormHistory.Add((Optimizer.StepCount, await layerNorms!.ReadAsync(cancellationToken).ConfigureAwait(false)));
        return new StepMetrics(Optimizer.StepCount, lastCount, values[LossSlot], values[CorrectSlot] / lastCount,
            Options.MeasuresNorm ? MathF.Sqrt(values[NormSlot]) : null, Optimizer.LearningRate);
    }

    /// <summary>One step: record, submit, read the metrics back.</summary>
    public Task<StepMetrics> StepAsync(ReadOnlySpan<float> batchImages, ReadOnlySpan<int> batchLabels, int count,
        CancellationToken cancellationToken = default)
    {
        RecordStep(batchImages, batchLabels, count);
        return ReadMetricsAsync(cancellationToken);
    }

    /// <summary>
    /// One pass over <paramref name="data"/> in the seeded order of <paramref name="epoch"/>; reports each step
    /// (synchronously after it, when <paramref name="progress"/> is not a <see cref="Progress{T}"/>: a checkpoint
    /// can be saved there). <paramref name="firstBatch"/> skips that many batches of the epoch's order: a run resumed
    /// from a checkpoint taken within the epoch (the order depends on (seed, epoch) only, so nothing else is stored).
    /// </summary>
    public async Task<IReadOnlyList<StepMetrics>> TrainEpochAsync(ImageDataSet data, int epoch, IProgress<StepMetrics>? progress = null,
        CancellationToken cancellationToken = default, int firstBatch = 0)
    {
        var batches = new ImageBatches(data, Options.BatchSize, Options.Seed);
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstBatch, batches.BatchesPerEpoch);
        EnsureArrays(data.PixelsPerImage);
        var steps = new List<StepMetrics>();
        int index = 0;
        foreach (int count in batches.Epoch(epoch, images, labels))
        {
            if (index++ < firstBatch) continue;
            var m = await StepAsync(images, labels, count, cancellationToken).ConfigureAwait(false);
            steps.Add(m);
            progress?.Report(m);
        }
        return steps;
    }

    /// <summary>Mean loss and accuracy of the model on <paramref name="data"/>, in evaluation mode, no gradients.</summary>
    public Task<Evaluation> EvaluateAsync(ImageDataSet data, int batchSize = 500, CancellationToken cancellationToken = default) =>
        Evaluate(Model, Pool, data, batchSize, cancellationToken);

    /// <summary>Evaluates any classifier on a data set (a checkpoint loaded for <c>eval</c>, a test).</summary>
    public static async Task<Evaluation> Evaluate(ImageClassifier model, BufferPool pool, ImageDataSet data, int batchSize = 500,
        CancellationToken cancellationToken = default)
    {
        var device = pool.Device;
        model.Eval();
        using var slots = new MetricSlots(device, 2);
        double lossSum = 0, correctSum = 0;
        var input = model.Input;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, data.Count - start);
            using (device.BeginBatch())
            using (var graph = new Graph(pool, recordGradients: false) { Training = false })
            {
                var x = graph.Input(data.Pixels.AsSpan(start * data.PixelsPerImage, count * data.PixelsPerImage),
                    new Shape(count, input.Channels, input.Height, input.Width));
                var y = graph.Indices(data.Labels.AsSpan(start, count), new Shape(count), model.Classes);
                var logits = model.Forward(x);
                var loss = CrossEntropy(logits, y);
                device.Copy(loss.Buffer, 0, slots.Buffer, 0, 1);
                var correct = graph.Rent<float>(count);
                Ops.Correct(device, logits.Buffer, y.Buffer, correct, count, model.Classes);
                Ops.Reduce(device, ReduceKind.Sum, correct, slots[1], 1, count, 1);
            }
            var values = await slots.ReadAsync(cancellationToken).ConfigureAwait(false);
            lossSum += values[0] * count;
            correctSum += values[1];
        }
        model.Train();
        return new Evaluation(data.Count, lossSum / data.Count, correctSum / data.Count);
    }

    private void EnsureArrays(int pixelsPerImage)
    {
        if (images.Length < Options.BatchSize * pixelsPerImage) images = new float[Options.BatchSize * pixelsPerImage];
        if (labels.Length < Options.BatchSize) labels = new int[Options.BatchSize];
    }

    public void Dispose()
    {
        metrics.Dispose();
        clipScale.Dispose();
        layerNorms?.Dispose();
        if (ownsPool) Pool.Dispose();
    }
}
