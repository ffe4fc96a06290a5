using System.Diagnostics;
using KernelGen.Cli.Commands;
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

    private static Process Start(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kernelgen.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    /// <summary>
    /// A real process kill: the child prints a line after each checkpoint it writes; the test kills it at the first
    /// one (it is then far from its last step, 128), resumes in-process and compares with an uninterrupted run.
    /// </summary>
    [Fact]
    public async Task A_killed_run_resumed_ends_bit_identical_to_an_uninterrupted_one()
    {
        Assert.Equal(0, await TrainCommand.RunAsync(new Options(Train(Out("straight"))), new StringWriter()));

        string killed = Out("killed"), checkpoint = Path.Combine(killed, "checkpoint.safetensors");
        using (var process = Start(Train(killed)))
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

        var output = new StringWriter();
        Assert.Equal(0, await TrainCommand.RunAsync(new Options(Train(killed, "--resume")), output));
        Assert.Contains($"resuming from {checkpoint} at step {step}", output.ToString());
        Assert.False(File.Exists(checkpoint + ".tmp"));
        AssertSameTensors(Path.Combine(Out("straight"), "checkpoint.safetensors"), checkpoint);

        var eval = new StringWriter();
        Assert.Equal(0, await EvalCommand.RunAsync(new Options(["eval", checkpoint, "--backend", "cpu"]), eval));
        Assert.Matches(@"mlp \(101,770 parameters\) from .* on mnist: test loss [0-9.]+, test accuracy [0-9.]+ %", eval.ToString());
    }

    [Fact]
    public async Task A_gpt_run_checkpoints_and_evaluates()
    {
        string run = Out("gpt");
        string[] args = ["train", "gpt", "--steps", "4", "--layers", "1", "--heads", "2", "--width", "16", "--context", "16", "--batch", "4", "--backend", "cpu", "--out", run];
        Assert.Equal(0, await TrainCommand.RunAsync(new Options(args), new StringWriter()));
        string checkpoint = Path.Combine(run, "checkpoint.safetensors");
        Assert.Equal("4", Checkpoint.ReadMetadata(checkpoint)[Checkpoint.StepKey]);
        var eval = new StringWriter();
        Assert.Equal(0, await EvalCommand.RunAsync(new Options(["eval", checkpoint, "--backend", "cpu"]), eval));
        Assert.Matches(@"validation loss [0-9.]+", eval.ToString());

        // Another configuration is refused, naming what differs.
        var e = await Assert.ThrowsAsync<UsageException>(() => TrainCommand.RunAsync(new Options([.. args[..^2], "--out", run, "--width", "32", "--resume"]), new StringWriter()));
        Assert.Contains("width 16 in the checkpoint, 32 in this run", e.Message);
    }

    [Fact]
    public async Task Resume_without_a_checkpoint_and_bad_values_are_usage_errors()
    {
        await Assert.ThrowsAsync<UsageException>(() => TrainCommand.RunAsync(new Options(["train", "mlp", "--resume", "--out", Out("none")]), new StringWriter()));
        await Assert.ThrowsAsync<UsageException>(() => TrainCommand.RunAsync(new Options(["train", "mlp", "--checkpoint-every", "0"]), new StringWriter()));
        await Assert.ThrowsAsync<UsageException>(() => EvalCommand.RunAsync(new Options(["eval"]), new StringWriter()));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Out("c.safetensors"), "");
        await Assert.ThrowsAsync<UsageException>(() => EvalCommand.RunAsync(new Options(["eval", Out("c.safetensors"), "--backend", "bogus"]), new StringWriter()));
    }

    [Fact]
    public async Task A_corrupt_checkpoint_is_a_message_and_exit_code_1()
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Out("bad.safetensors"), [1, 2, 3]);
        using var process = Start(["eval", Out("bad.safetensors"), "--backend", "cpu"]);
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("bad.safetensors: truncated: 3 bytes", error);
        Assert.DoesNotContain("   at ", error);
    }
}
