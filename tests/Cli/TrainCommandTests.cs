using KernelGen.Cli.Commands;
using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>kernelgen train and list: a short real run, and bad values refused before anything runs.</summary>
public class TrainCommandTests
{
    [Fact]
    public async Task Train_runs_an_epoch_on_a_subset_and_writes_metrics()
    {
        string folder = Path.Combine(Path.GetTempPath(), "kernelgen-train-" + Guid.NewGuid().ToString("N"));
        var output = new StringWriter();
        int code = await TrainCommand.RunAsync(new Options(["train", "mlp", "--subset", "1000", "--epochs", "1", "--backend", "cpu", "--out", folder]), output);
        Assert.Equal(0, code);
        Assert.Matches(@"epoch 1/1: train loss [0-9.]+, test loss [0-9.]+, test accuracy [0-9.]+ %", output.ToString());
        var line = Assert.Single(File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")));
        Assert.Contains("\"test_accuracy\":", line);
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("train", "mlp", "--epoch", "2")]              // a typo is not ignored
    [InlineData("train", "mlp", "--epochs", "zero")]
    [InlineData("train", "mlp", "--epochs", "0")]
    [InlineData("train", "mlp", "--lr", "NaN")]
    [InlineData("train", "mlp", "--backend", "bogus")]
    [InlineData("train", "mlp", "--epochs")]
    [InlineData("train", "nope")]
    [InlineData("train")]
    public async Task Bad_values_are_usage_errors(params string[] args)
    {
        await Assert.ThrowsAsync<UsageException>(() => TrainCommand.RunAsync(new Options(args), new StringWriter()));
    }

    [Theory]
    [InlineData(0, "--help")]
    [InlineData(0, "train", "--help")]
    [InlineData(2, "train", "mlp", "--epoch", "2")]
    [InlineData(2, "bogus")]
    public async Task The_process_exits_with_the_usage_line(int expectedCode, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kernelgen.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        string stdout = await stdoutTask;
        await process.WaitForExitAsync();
        Assert.Equal(expectedCode, process.ExitCode);
        Assert.Contains("Usage: kernelgen", expectedCode == 0 ? stdout : stderr);
        Assert.DoesNotContain("   at ", stdout + stderr); // never a stack trace
    }

    [Fact]
    public async Task A_bad_backend_in_the_environment_is_a_usage_error()
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kernelgen.dll"));
        info.ArgumentList.Add("adapter");
        info.Environment["KERNELGEN_BACKEND"] = "bogus";
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await stdoutTask;
        await process.WaitForExitAsync();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("KERNELGEN_BACKEND is 'bogus'; it must be cpu, webgpu or auto", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void List_names_every_architecture_with_its_parameter_count()
    {
        var output = new StringWriter();
        Assert.Equal(0, ListCommand.Run(output));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, lines.Length);
        Assert.Matches(@"^mlp +101,770 ", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("gpt ", StringComparison.Ordinal));
    }
}
