using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Training;
using Xunit;
using Xunit.Abstractions;

namespace KernelGen.Models.Tests.Training;

/// <summary>The character GPT learns Tiny Shakespeare: 200 steps take the validation loss far below ln 65.</summary>
public class LanguageModelTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Gpt_validation_loss_falls_well_below_uniform_and_it_samples()
    {
        var device = ComputeDevice.OpenCpu();
        var text = DataSets.TinyShakespeare();
        var config = new GptConfig(text.VocabularySize, Context: 32, Layers: 2, Heads: 4, Width: 48);
        using var model = new Gpt(new Init(device, 5), config);
        using var optimizer = new AdamW(model.NamedParameters(), 3e-3f, weightDecay: 0f);
        using var trainer = new LanguageModelTrainer(model, optimizer, text, new TrainingOptions { BatchSize = 16, Seed = 2, ClipNorm = 1f });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double before = await trainer.EvaluateAsync(Split.Validation, 4);
        StepMetrics last = default;
        for (int i = 0; i < 200; i++) last = await trainer.StepAsync();
        double after = await trainer.EvaluateAsync(Split.Validation, 8);
        var sample = await model.GenerateAsync(trainer.Pool, text.Encode("ROMEO:"), 60, new Random(1), temperature: 0.8f, topK: 10);
        output.WriteLine($"{model.ParameterCount} parameters; validation loss {before:F3} -> {after:F3} in 200 steps, {clock.ElapsedMilliseconds} ms; last {last}");
        output.WriteLine(text.Decode(sample));
        Assert.True(Math.Abs(before - Math.Log(65)) < 0.6, $"an untrained model should be near uniform (ln 65 = 4.17), got {before:F3}");
        Assert.True(after < 2.9, $"validation loss {after:F3} should be well below ln 65 = 4.17 after 200 steps");
        Assert.Equal(6 + 60, sample.Length);
    }
}
