using KernelGen.Models.Architectures;
using System.Buffers.Binary;
using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>kernelgen train and list: a short real run, bad values refused before anything runs, a diverging run stopped.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly Cli.TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Train_runs_an_epoch_on_a_subset_and_writes_metrics_and_steps()
    {
        var run = await Cli.RunAsync("train", "mlp", "--subset", "1000", "--epochs", "1", "--backend", "cpu", "--out", folder["run"]);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Matches(@"epoch 1/1: train loss [0-9.]+, test loss [0-9.]+, test accuracy [0-9.]+ %", run.Out);
        // A line every tenth of the epoch's 16 steps (not at its last step, where the epoch line comes).
        Assert.Matches(@"  step 8/16: loss [0-9.]+, train accuracy [0-9.]+ %, [0-9,]+ examples/s, ETA [0-9]+:[0-9]{2}", run.Out);
        var line = Assert.Single(File.ReadAllLines(Path.Combine(folder["run"], "metrics.jsonl")));
        Assert.Contains("\"test_accuracy\":", line);
        var steps = File.ReadAllLines(Path.Combine(folder["run"], "steps.jsonl"));
        Assert.Equal(16, steps.Length);
        Assert.Matches("""^\{"step":16,"loss":[0-9.E+-]+,"accuracy":[0-9.E+-]+,"learning_rate":[0-9.E+-]+,"seconds":[0-9.]+\}$""", steps[^1]);
    }

    /// <summary>The probe tasks train like the data sets: two classes on 28x84 pairs; the permuted digits on 28x28.</summary>
    [Theory]
    [InlineData("mlp", "digit-pairs", "mlp (301,442 parameters) on digit-pairs (200 training images)")]
    [InlineData("mlp", "mnist-permuted", "on mnist-permuted (200 training images)")]
    public async Task Train_takes_the_probe_tasks(string architecture, string data, string header)
    {
        var run = await Cli.RunAsync("train", architecture, "--data", data, "--subset", "200", "--batch", "50", "--backend", "cpu", "--out", folder[data]);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains(header, run.Out);
        Assert.Matches(@"epoch 1/1: .*test accuracy [0-9.]+ %", run.Out);
    }

    [Theory]
    [InlineData("Unrecognized command or argument '--epoch'", "kernelgen train <architecture>", "train", "mlp", "--epoch", "2")]   // a typo is not ignored
    [InlineData("--epochs must be an integer >= 1; got 'zero'", "kernelgen train <architecture>", "train", "mlp", "--epochs", "zero")]
    [InlineData("--epochs must be an integer >= 1; got '0'", "kernelgen train <architecture>", "train", "mlp", "--epochs", "0")]
    [InlineData("--lr must be a number > 0; got 'NaN'", "kernelgen train <architecture>", "train", "mlp", "--lr", "NaN")]
    [InlineData("--backend must be one of auto, webgpu, cpu; got 'bogus'", "kernelgen train <architecture>", "train", "mlp", "--backend", "bogus")]
    [InlineData("--epochs", "kernelgen train <architecture>", "train", "mlp", "--epochs")]
    [InlineData("Unknown architecture 'nope'", "kernelgen train <architecture>", "train", "nope")]
    [InlineData("Required argument missing", "kernelgen train <architecture>", "train")]
    [InlineData("--checkpoint-every must be an integer >= 1; got '0'", "kernelgen train <architecture>", "train", "mlp", "--checkpoint-every", "0")]
    [InlineData("--data-dir is not an existing folder", "kernelgen train <architecture>", "train", "mlp", "--data-dir", "/nonexistent/kernelgen")]
    [InlineData("--width (30) must be a multiple of --heads (4)", "kernelgen train gpt [options]", "train", "gpt", "--width", "30")]
    [InlineData("Unrecognized command or argument '--epochs'", "kernelgen train gpt [options]", "train", "gpt", "--epochs", "2")]
    [InlineData("--text is not an existing file", "kernelgen train gpt [options]", "train", "gpt", "--text", "/nonexistent/kernelgen.txt")]
    [InlineData("--architectures: unknown 'gpt'", "kernelgen compare [options]", "compare", "--architectures", "mlp,gpt")]
    [InlineData("There is no checkpoint file at", "kernelgen eval <checkpoint>", "eval", "/nonexistent/c.safetensors")]
    [InlineData("--temperature must be a number > 0; got '0'", "kernelgen sample <checkpoint>", "sample", "/nonexistent/c.safetensors", "--temperature", "0")]
    [InlineData("Required argument missing", "kernelgen sample <checkpoint>", "sample")]
    [InlineData("Unrecognized command or argument 'bogus'", "kernelgen [command]", "bogus")]
    public async Task Bad_values_are_usage_errors_with_exit_code_2(string message, string usage, params string[] args)
    {
        var run = await Cli.RunAsync(args);
        Assert.True(run.Code == 2, run.ToString());
        Assert.Contains(message, run.Error);
        Assert.Contains($"Usage: {usage}", run.Error);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData(0, "--help")]
    [InlineData(0, "train", "--help")]
    [InlineData(2, "train", "mlp", "--epoch", "2")]
    [InlineData(2, "bogus")]
    public async Task The_process_exits_with_the_usage_line(int expectedCode, params string[] args)
    {
        var run = await Cli.RunProcessAsync(args);
        Assert.True(run.Code == expectedCode, run.ToString());
        if (expectedCode == 0) Assert.Matches(@"Usage:\s+kernelgen", run.Out);
        else Assert.Contains("Usage: kernelgen", run.Error);
        Assert.DoesNotContain("   at ", run.Out + run.Error); // never a stack trace
    }

    [Fact]
    public async Task A_bad_backend_in_the_environment_is_a_usage_error()
    {
        var run = await Cli.RunProcessAsync(["adapter"], new Dictionary<string, string> { ["KERNELGEN_BACKEND"] = "bogus" });
        Assert.True(run.Code == 2, run.ToString());
        Assert.Contains("KERNELGEN_BACKEND is 'bogus'; it must be cpu, webgpu or auto", run.Error);
        Assert.Contains("Usage: kernelgen adapter", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task List_names_every_architecture_with_its_parameter_count_and_description()
    {
        var run = await Cli.RunAsync("list");
        Assert.Equal(0, run.Code);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Catalog.Vision.Count + 1, lines.Length);   // every vision architecture, then the gpt
        Assert.Matches(@"^mlp +101,770  784-128-10 with ReLU", lines[1]);
        Assert.All(lines, l => Assert.Matches(@"^[a-z0-9-]+ +[0-9,]+  \S.{10,}", l));
        Assert.Contains(lines, l => l.StartsWith("gpt ", StringComparison.Ordinal));
    }

    /// <summary>
    /// SGD at a rate of a million overflows the MLP's loss within a few steps (checked: 5e10 at step 2, 1e32 at step
    /// 4, NaN from step 5 on); the trainer then skips every update, and the run stops after five such steps with exit
    /// code 1, leaving the last checkpoint written before the NaN (step 4) in place.
    /// </summary>
    [Fact]
    public async Task A_diverging_run_stops_and_keeps_the_last_good_checkpoint()
    {
        string run = folder["diverged"], checkpoint = Path.Combine(run, "checkpoint.safetensors");
        var result = await Cli.RunAsync("train", "mlp", "--subset", "2000", "--epochs", "3", "--lr", "1e6", "--checkpoint-every", "2", "--backend", "cpu", "--out", run);
        Assert.True(result.Code == 1, result.ToString());
        Assert.Contains($"The loss diverged at step 5 (NaN; 5 steps in a row skipped); the last good checkpoint is {checkpoint} (step 4); lower --lr", result.Error);
        Assert.Contains("checkpoint at step 4:", result.Out);
        Assert.DoesNotContain("checkpoint at step 6:", result.Out); // step 6 was a checkpoint step, inside the NaN streak
        Assert.Equal("4", Models.Training.Checkpoint.ReadMetadata(checkpoint)[Models.Training.Checkpoint.StepKey]);
        Assert.Contains("\"skipped\":true", File.ReadAllText(Path.Combine(run, "steps.jsonl")));
    }

    /// <summary>--data-dir is where the images are read: a folder holding a tiny MNIST of its own (12 training images).</summary>
    [Fact]
    public async Task The_data_dir_is_where_the_images_are_read()
    {
        string mnist = folder["data/mnist"];
        Directory.CreateDirectory(mnist);
        WriteIdx(Path.Combine(mnist, "train"), 12);
        WriteIdx(Path.Combine(mnist, "t10k"), 5);
        var run = await Cli.RunAsync("train", "perceptron", "--data-dir", folder["data"], "--batch", "4", "--backend", "cpu", "--out", folder["run"]);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("on mnist (12 training images)", run.Out);
        Assert.Contains("epoch 1/1:", run.Out);
    }

    private static void WriteIdx(string prefix, int count)
    {
        var images = new byte[16 + count * 784];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), 28);
        for (int i = 0; i < count; i++) images[16 + i * 784 + i] = 255;
        File.WriteAllBytes(prefix + "-images-idx3-ubyte", images);
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (int i = 0; i < count; i++) labels[8 + i] = (byte)(i % 10);
        File.WriteAllBytes(prefix + "-labels-idx1-ubyte", labels);
    }
}
