using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Kernels;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Tensors;
using KernelGen.Models.Training;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.ModelBenchmarks;

/// <summary>
/// One training step, split where the host's part ends: <see cref="Record"/> records the step into one batch and
/// submits it (on the CPU backend every dispatch runs as it is issued, so that is the whole step);
/// <see cref="Read"/> reads the step's loss back, waiting for the device.
/// </summary>
public interface IStep : IDisposable
{
    string Name { get; }

    /// <summary>Dispatches of the last recorded step (<see cref="ComputeBatch.DispatchCount"/>).</summary>
    int Dispatches { get; }

    void Record();

    float Read();
}

/// <summary>Batches of 64 MNIST training images (or random ones of the same shape when the files are missing), in order, cycling.</summary>
public sealed class MnistBatches
{
    public const int Batch = 64, Pixels = 784;
    private readonly float[] pixels;
    private readonly int[] labels;
    private readonly int count;

    public MnistBatches(int images = 64 * 32)
    {
        try
        {
            var train = DataSets.Mnist(Split.Train).Take(images);
            pixels = train.Pixels;
            labels = train.Labels;
            Source = $"MNIST train, first {train.Count} images";
        }
        catch (Exception e) when (e is DataSetException or IOException)
        {
            var random = new Random(1);
            pixels = Enumerable.Range(0, images * Pixels).Select(_ => (float)random.NextDouble()).ToArray();
            labels = Enumerable.Range(0, images).Select(_ => random.Next(10)).ToArray();
            Source = $"random data ({e.GetType().Name}: {e.Message})";
        }
        count = labels.Length / Batch;
    }

    public string Source { get; }

    public (ReadOnlyMemory<float> Images, ReadOnlyMemory<int> Labels) Get(int step)
    {
        int b = step % count;
        return (pixels.AsMemory(b * Batch * Pixels, Batch * Pixels), labels.AsMemory(b * Batch, Batch));
    }
}

/// <summary>
/// Any <see cref="ImageClassifier"/> trained by <see cref="ClassifierTrainer.RecordStep"/>, with plain SGD (lr 0.1)
/// unless <c>makeOptimizer</c> makes another.
/// </summary>
public sealed class LibraryClassifierStep : IStep
{
    private readonly ImageClassifier model;
    private readonly Optimizer optimizer;
    private readonly ClassifierTrainer trainer;
    private readonly MnistBatches data;
    private int step;

    public LibraryClassifierStep(string name, ImageClassifier model, MnistBatches data, Func<ImageClassifier, Optimizer>? makeOptimizer = null)
    {
        Name = name;
        this.model = model;
        this.data = data;
        optimizer = makeOptimizer is null ? new Sgd(model.NamedParameters(), 0.1f) : makeOptimizer(model);
        trainer = new ClassifierTrainer(model, optimizer);
    }

    public string Name { get; }

    public int Dispatches => trainer.LastStepDispatches;

    public void Record()
    {
        var (images, labels) = data.Get(step++);
        trainer.RecordStep(images.Span, labels.Span, MnistBatches.Batch);
    }

    public float Read() => trainer.ReadMetricsAsync().GetAwaiter().GetResult().Loss;

    public void Dispose()
    {
        trainer.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}

/// <summary>
/// The MLP 784-128-10 step written directly against <see cref="Ops"/>, every buffer allocated once: forward
/// (matmul with bias, ReLU, matmul with bias), cross-entropy and its mean, the backward matmuls, bias gradients by
/// <see cref="Ops.ReduceToBroadcast"/>, the ReLU's backward, plain SGD per parameter, the correct count, and one
/// read-back of loss and correct count. <c>fused</c>: ReLU in the first matmul's epilogue and its backward from the
/// output (one dispatch and one 64x128 buffer fewer), which the library's Linear + Relu does not do.
/// </summary>
public sealed class RawMlpStep : IStep
{
    private const int B = MnistBatches.Batch, In = MnistBatches.Pixels, H = 128, C = 10;
    private readonly ComputeDevice device;
    private readonly MnistBatches data;
    private readonly bool fused;
    private readonly GpuBuffer<float> w1, b1, w2, b2, gw1, gb1, gw2, gb2;
    private readonly GpuBuffer<float> x, h, a, logits, losses, softmaxGrad, da, dh, correct, metrics;
    private readonly GpuBuffer<int> y;
    private int step;

    /// <param name="init">The library's model: its initial parameters are copied, so both start alike.</param>
    public RawMlpStep(string name, Mlp init, MnistBatches data, bool fused)
    {
        Name = name;
        this.data = data;
        this.fused = fused;
        var ps = init.Parameters().ToArray(); // fc1.weight [128, 784], fc1.bias, fc2.weight [10, 128], fc2.bias
        device = ps[0].Device;
        w1 = device.CreateBuffer<float>(ps[0].ToArray());
        b1 = device.CreateBuffer<float>(ps[1].ToArray());
        w2 = device.CreateBuffer<float>(ps[2].ToArray());
        b2 = device.CreateBuffer<float>(ps[3].ToArray());
        gw1 = device.CreateBuffer<float>(H * In);
        gb1 = device.CreateBuffer<float>(H);
        gw2 = device.CreateBuffer<float>(C * H);
        gb2 = device.CreateBuffer<float>(C);
        x = device.CreateBuffer<float>(B * In);
        y = device.CreateBuffer<int>(B);
        h = device.CreateBuffer<float>(B * H);
        a = device.CreateBuffer<float>(B * H);
        logits = device.CreateBuffer<float>(B * C);
        losses = device.CreateBuffer<float>(B);
        softmaxGrad = device.CreateBuffer<float>(B * C);
        da = device.CreateBuffer<float>(B * H);
        dh = device.CreateBuffer<float>(B * H);
        correct = device.CreateBuffer<float>(B);
        metrics = device.CreateBuffer<float>(MetricSlots.Stride + 1); // loss at 0, correct count at 64
    }

    public string Name { get; }

    public int Dispatches { get; private set; }

    public void Record()
    {
        var (images, labels) = data.Get(step++);
        using var batch = device.BeginBatch();
        x.Upload(images.Span);
        y.Upload(labels.Span);
        // Forward: h = x W1ᵀ + b1, a = relu(h), logits = a W2ᵀ + b2.
        if (fused)
            Ops.Matmul(device, x, w1, a, B, H, In, new MatmulOptions { TransposeB = true, Bias = b1, Activation = KernelGen.Models.Kernels.Activation.Relu });
        else
        {
            Ops.Matmul(device, x, w1, h, B, H, In, new MatmulOptions { TransposeB = true, Bias = b1 });
            Ops.Activate(device, ActivationKind.Relu, h, a, B * H);
        }
        Ops.Matmul(device, a, w2, logits, B, C, H, new MatmulOptions { TransposeB = true, Bias = b2 });
        Ops.CrossEntropy(device, logits, y, losses, softmaxGrad, B, C);
        Ops.Reduce(device, ReduceKind.Mean, losses, metrics.Slice(0, 1), 1, B, 1);
        // Backward: d(logits) is the fused softmax gradient (already divided by the batch).
        Ops.Matmul(device, softmaxGrad, a, gw2, C, H, B, new MatmulOptions { TransposeA = true });
        Ops.ReduceToBroadcast(device, softmaxGrad, null, gb2, B * C, 1, C);
        Ops.Matmul(device, softmaxGrad, w2, da, B, H, C);
        if (fused) Ops.ActivationBackwardFromOutput(device, ActivationKind.Relu, a, da, dh, B * H);
        else Ops.ActivationBackward(device, ActivationKind.Relu, h, da, dh, B * H);
        Ops.Matmul(device, dh, x, gw1, H, In, B, new MatmulOptions { TransposeA = true });
        Ops.ReduceToBroadcast(device, dh, null, gb1, B * H, 1, H);
        Ops.Sgd(device, w1, gw1, H * In, 0.1f);
        Ops.Sgd(device, b1, gb1, H, 0.1f);
        Ops.Sgd(device, w2, gw2, C * H, 0.1f);
        Ops.Sgd(device, b2, gb2, C, 0.1f);
        Ops.Correct(device, logits, y, correct, B, C);
        Ops.Reduce(device, ReduceKind.Sum, correct, metrics.Slice(MetricSlots.Stride, 1), 1, B, 1);
        Dispatches = batch.DispatchCount;
    }

    public float Read() => metrics.Slice(0, metrics.Length).ReadAsync().GetAwaiter().GetResult()[0];

    public void Dispose()
    {
        foreach (var buffer in new GpuBuffer[] { w1, b1, w2, b2, gw1, gb1, gw2, gb2, x, y, h, a, logits, losses, softmaxGrad, da, dh, correct, metrics })
            buffer.Dispose();
    }
}

/// <summary>
/// The character GPT's step, by hand: token ids and next-token targets [32, 64] (random, vocabulary 65), forward,
/// cross-entropy over the [32*64, 65] logits, backward, AdamW, and the loss read back.
/// </summary>
public sealed class GptStep : IStep
{
    public const int Batch = 32;
    private readonly Gpt model;
    private readonly AdamW optimizer;
    private readonly BufferPool pool;
    private readonly GpuBuffer<float> lossSlot;
    private readonly int[][] ids, targets;
    private int step;

    public GptStep(ComputeDevice device, int layers = 2)
    {
        var config = new GptConfig(Vocabulary: 65, Context: 64, Layers: layers, Heads: 4, Width: 128);
        model = new Gpt(new Init(device, 1), config);
        optimizer = new AdamW(model.NamedParameters(), 3e-4f);
        pool = new BufferPool(device);
        lossSlot = device.CreateBuffer<float>(1);
        var random = new Random(2);
        var text = Enumerable.Range(0, 8 * Batch * config.Context + 1).Select(_ => random.Next(config.Vocabulary)).ToArray();
        ids = new int[8][];
        targets = new int[8][];
        for (int b = 0; b < 8; b++)
        {
            ids[b] = text.AsSpan(b * Batch * config.Context, Batch * config.Context).ToArray();
            targets[b] = text.AsSpan(b * Batch * config.Context + 1, Batch * config.Context).ToArray();
        }
        Device = device;
    }

    public string Name => $"GPT {model.Config.Layers}x128 (library)";

    public ComputeDevice Device { get; }

    public int Dispatches { get; private set; }

    public void Record()
    {
        int b = step++ % ids.Length;
        var config = model.Config;
        using var batch = Device.BeginBatch();
        using var graph = new Graph(pool) { Seed = (uint)step };
        var x = graph.Indices(ids[b], new Shape(Batch, config.Context), config.Vocabulary, "token");
        var y = graph.Indices(targets[b], new Shape(Batch, config.Context), config.Vocabulary, "target");
        var logits = model.Forward(x);
        var loss = CrossEntropy(Reshape(logits, new Shape(Batch * config.Context, config.Vocabulary)), y);
        model.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        Device.Copy(loss.Buffer, 0, lossSlot, 0, 1);
        Dispatches = batch.DispatchCount;
    }

    public float Read() => lossSlot.ReadAsync().GetAwaiter().GetResult()[0];

    public void Dispose()
    {
        lossSlot.Dispose();
        pool.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}
