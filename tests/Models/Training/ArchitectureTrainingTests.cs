using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Training;
using KernelGen.Tests;
using Xunit;
using Xunit.Abstractions;

namespace KernelGen.Models.Tests.Training;

/// <summary>
/// Every architecture learns: a short run on a small real MNIST subset (the first 4,000 training images for the cheap models, 1,000 for the convolutional and attention ones; the first
/// 1,000 test images held out)
/// must beat a threshold far above chance (10%). Thresholds sit below what the runs reach here, with a margin.
/// </summary>
public class ArchitectureTrainingTests(ITestOutputHelper output)
{
    private static readonly Lazy<ImageDataSet> Train = new(() => DataSets.Mnist(Split.Train).Take(4000));
    private static readonly Lazy<ImageDataSet> Test = new(() => DataSets.Mnist(Split.Test).Take(1000));

    public static TheoryData<string> Names => ["perceptron", "mlp", "cnn", "cnn-nonlocal", "resnet", "plainnet", "vit", "mixer"];

    /// <summary>The small configurations trained here, their optimizer, epochs and the held-out accuracy they must beat.</summary>
    private static (ImageClassifier Model, Optimizer Optimizer, int Epochs, int Images, double Threshold) Build(string name, ComputeDevice device)
    {
        var init = new Init(device, 7);
        var input = ImageShape.Mnist;
        ImageClassifier model = name switch
        {
            "perceptron" => new Perceptron(init, input),
            "mlp" => new Mlp(init, input, MlpConfig.Default),
            "cnn" => new Cnn(init, input, new CnnConfig(8, 16, 64)),
            "cnn-nonlocal" => new Cnn(init, input, new CnnConfig(8, 16, 64, NonLocal: true, NonLocalInner: 8)),
            "resnet" => new DeepCnn(init, input, new DeepCnnConfig(1, 8, Residual: true)),
            "plainnet" => new DeepCnn(init, input, new DeepCnnConfig(1, 8, Residual: false)),
            "vit" => new VisionTransformer(init, input, new VitConfig(Patch: 7, Width: 32, Layers: 2, Heads: 4)),
            "mixer" => new MlpMixer(init, input, new MixerConfig(Patch: 7, Width: 32, Layers: 2, TokenHidden: 32, ChannelHidden: 64)),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var (optimizer, epochs, images, threshold) = name switch
        {
            "perceptron" => ((Optimizer)new Sgd(model.NamedParameters(), 0.05f), 2, 4000, 0.85),
            "mlp" => (new AdamW(model.NamedParameters(), 1e-3f, weightDecay: 0f), 2, 4000, 0.88),
            "vit" or "mixer" => (new AdamW(model.NamedParameters(), 2e-3f, weightDecay: 0f), 2, 2000, 0.5),
            "resnet" or "plainnet" => (new AdamW(model.NamedParameters(), 2e-3f, weightDecay: 0f), 2, 1000, 0.3),
            _ => (new AdamW(model.NamedParameters(), 2e-3f, weightDecay: 0f), 2, 1000, 0.75),
        };
        return (model, optimizer, epochs, images, threshold);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Learns_mnist_on_the_cpu_backend(string name) => await LearnsOn(ComputeDevice.OpenCpu(), name);

    [WebGpuTheory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    public async Task Learns_mnist_on_webgpu(string name) => await LearnsOn(WebGpuTestDevice.Device, name);

    private async Task LearnsOn(ComputeDevice device, string name)
    {
        var (model, optimizer, epochs, images, threshold) = Build(name, device);
        var train = Train.Value.Take(images);
        using var disposeModel = model;
        using var disposeOptimizer = optimizer;
        using var trainer = new ClassifierTrainer(model, optimizer, new TrainingOptions { BatchSize = 32, Seed = 3 });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        StepMetrics last = default;
        for (int epoch = 0; epoch < epochs; epoch++) last = (await trainer.TrainEpochAsync(train, epoch))[^1];
        var evaluation = await trainer.EvaluateAsync(Test.Value);
        output.WriteLine($"{name} on {device.Backend}: {model.ParameterCount} parameters, {epochs} epochs in {clock.ElapsedMilliseconds} ms, " +
            $"last step {last}, held-out accuracy {evaluation.Accuracy:P1}, loss {evaluation.Loss:F3}");
        Assert.True(evaluation.Accuracy > threshold, $"{name}: held-out accuracy {evaluation.Accuracy:P1} <= {threshold:P0}");
    }
}
