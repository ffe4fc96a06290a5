using KernelGen.Models.Training;
using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>
/// kernelgen train --checkpoint-every / --resume and kernelgen eval: a run killed after its first checkpoint and
/// resumed ends bit-identical to an uninterrupted one; eval reads a checkpoint back; bad values are usage errors.
/// </summary>
public sealed class CheckpointCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "kernelgen-ckpt-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private string Out(string name) => Path.Combine(folder, name);

    private static string[] Train(string outFolder, params string[] extra) =>
        ["train", "mlp", "--subset", "2000", "--epochs", "4", "--checkpoint-every", "20", "--backend", "cpu", "--out", outFolder, .. extra];

    private static void AssertSameTensors(string expectedPath, string actualPath)
    {
        var expected = SafeTensors.Read(expectedPath);
        var actual = SafeTensors.Read(actualPath);
        Assert.Equal(expected.Tensors.Select(t => t.Name), actual.Tensors.Select(t => t.Name));
        foreach (var (e, a) in expected.Tensors.Zip(actual.Tensors))
            Assert.True(e.Values.Select(BitConverter.SingleToInt32Bits).SequenceEqual(a.Values.Select(BitConverter.SingleToInt32Bits)), $"{e.Name} differs");
        Assert.Equal(expected.Metadata, actual.Metadata);
    }

    /// <summary>
    /// A real process kill: the child prints a line after each checkpoint it writes; the test kills it at the first
    /// one (it is then far from its last step, 128), resumes in-process and compares with an uninterrupted run.
    /// </summary>
    [Fact]
    public async Task A_killed_run_resumed_ends_bit_identical_to_an_uninterrupted_one()
    {
        Assert.Equal(0, (await Cli.RunAsync(Train(Out("straight")))).Code);

        string killed = Out("killed"), checkpoint = Path.Combine(killed, "checkpoint.safetensors");
        using (var process = Cli.Start(Train(killed)))
        {
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("checkpoint at step", StringComparison.Ordinal)) { }
            // (Read stderr only when it failed: reading it waits for the child to end.)
            if (line is null) Assert.Fail("the run ended without writing a checkpoint: " + process.StandardError.ReadToEnd());
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            var last = int.Parse(Checkpoint.ReadMetadata(checkpoint)[Checkpoint.StepKey]);
            Assert.True(last < 128, $"the run finished (step {last}) before it was killed");
        }
        var step = int.Parse(Checkpoint.ReadMetadata(checkpoint)[Checkpoint.StepKey]);

        var resumed = await Cli.RunAsync(Train(killed, "--resume"));
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Contains($"resuming from {checkpoint} at step {step}", resumed.Out);
        Assert.False(File.Exists(checkpoint + ".tmp"));
        AssertSameTensors(Path.Combine(Out("straight"), "checkpoint.safetensors"), checkpoint);

        // steps.jsonl has each step once: the killed run's lines after its checkpoint were dropped on resume.
        var steps = File.ReadAllLines(Path.Combine(killed, "steps.jsonl")).Select(l => int.Parse(l.Split(',')[0]["{\"step\":".Length..])).ToList();
        Assert.Equal(Enumerable.Range(1, 128), steps);

        var eval = await Cli.RunAsync("eval", checkpoint, "--backend", "cpu");
        Assert.True(eval.Code == 0, eval.ToString());
        Assert.Matches(@"mlp \(101,770 parameters\) from .* on mnist: test loss [0-9.]+, test accuracy [0-9.]+ %", eval.Out);
    }

    [Fact]
    public async Task A_gpt_run_checkpoints_and_evaluates()
    {
        string run = Out("gpt");
        string[] Args(int width, params string[] extra) =>
            ["train", "gpt", "--steps", "4", "--layers", "1", "--heads", "2", "--width", $"{width}", "--context", "16", "--batch", "4", "--backend", "cpu", "--out", run, .. extra];
        string[] args = Args(16);
        var train = await Cli.RunAsync(args);
        Assert.True(train.Code == 0, train.ToString());
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");
        Assert.Equal("4", Checkpoint.ReadMetadata(checkpoint)[Checkpoint.StepKey]);
        var eval = await Cli.RunAsync("eval", checkpoint, "--backend", "cpu");
        Assert.True(eval.Code == 0, eval.ToString());
        Assert.Matches(@"validation loss [0-9.]+", eval.Out);

        // Another configuration is refused, naming what differs.
        var other = await Cli.RunAsync(Args(32, "--resume"));
        Assert.Equal(2, other.Code);
        Assert.Contains("width 16 in the checkpoint, 32 in this run", other.Error);
        Assert.Contains("Usage: kernelgen train gpt [options]", other.Error);
    }

    [Fact]
    public async Task Resume_without_a_checkpoint_and_bad_values_are_usage_errors()
    {
        var none = await Cli.RunAsync("train", "mlp", "--resume", "--out", Out("none"));
        Assert.Equal(2, none.Code);
        Assert.Contains($"--resume: there is no checkpoint at {Path.Combine(Out("none"), "checkpoint.safetensors")}", none.Error);
        Assert.Equal(2, (await Cli.RunAsync("train", "mlp", "--checkpoint-every", "0")).Code);
        Assert.Equal(2, (await Cli.RunAsync("eval")).Code);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Out("c.safetensors"), "");
        Assert.Equal(2, (await Cli.RunAsync("eval", Out("c.safetensors"), "--backend", "bogus")).Code);
    }

    [Fact]
    public async Task A_corrupt_checkpoint_is_a_message_and_exit_code_1()
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Out("bad.safetensors"), [1, 2, 3]);
        var run = await Cli.RunProcessAsync(["eval", Out("bad.safetensors"), "--backend", "cpu"]);
        Assert.True(run.Code == 1, run.ToString());
        Assert.Contains("bad.safetensors: truncated: 3 bytes", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }
}
