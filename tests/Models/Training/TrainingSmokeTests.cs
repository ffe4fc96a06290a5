using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Training;
using Xunit;
using Xunit.Abstractions;

namespace KernelGen.Models.Tests.Training;

public class TrainingSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Mlp_learns_on_cpu()
    {
        var device = ComputeDevice.OpenCpu();
        var train = DataSets.Mnist(Split.Train).Take(2000);
        var test = DataSets.Mnist(Split.Test).Take(1000);
        using var model = new Mlp(new Init(device, 1), ImageShape.Mnist, MlpConfig.Default);
        using var optimizer = new Sgd(model.NamedParameters(), 0.1f, momentum: 0.9f);
        using var trainer = new ClassifierTrainer(model, optimizer);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var steps = await trainer.TrainEpochAsync(train, 0);
        output.WriteLine($"{steps.Count} steps in {sw.ElapsedMilliseconds} ms; first {steps[0]} last {steps[^1]}");
        var eval = await trainer.EvaluateAsync(test);
        output.WriteLine($"eval {eval}");
        Assert.True(eval.Accuracy > 0.85, eval.ToString());
    }
}
