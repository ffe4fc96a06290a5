using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>--help on every command succeeds and names the command's options.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("", "demo", "adapter", "info", "list", "train", "compare", "eval", "sample", "figures")]
    [InlineData("demo")]
    [InlineData("adapter")]
    [InlineData("info", "--backend", "--data-dir")]
    [InlineData("list")]
    [InlineData("train", "<architecture>", "--data", "--epochs", "--subset", "--batch", "--optimizer", "--lr", "--momentum", "--seed", "--backend", "--out",
        "--checkpoint-every", "--resume", "--data-dir", "gpt")]
    [InlineData("train gpt", "--steps", "--layers", "--heads", "--width", "--context", "--batch", "--lr", "--seed", "--backend", "--out", "--checkpoint-every",
        "--resume", "--text", "--data-dir")]
    [InlineData("compare", "--architectures", "--data", "--epochs", "--subset", "--batch", "--seed", "--backend", "--out", "--data-dir")]
    [InlineData("eval", "<checkpoint.safetensors>", "--data", "--backend", "--text", "--data-dir")]
    [InlineData("sample", "<checkpoint.safetensors>", "--prompt", "--length", "--temperature", "--top-k", "--seed", "--backend", "--text")]
    [InlineData("figures", "filters", "attention", "nonlocal", "gradients", "curves")]
    [InlineData("figures filters", "<checkpoint.safetensors>", "--image", "--out", "--backend", "--data-dir", "docs/figures")]
    [InlineData("figures attention", "<checkpoint.safetensors>", "--image", "--prompt", "--out", "--backend")]
    [InlineData("figures nonlocal", "<checkpoint.safetensors>", "--image", "--query", "--out", "--backend")]
    [InlineData("figures gradients", "<run folder>", "--max-step", "--out")]
    [InlineData("figures curves", "<run folder>", "--out")]
    public async Task Help_succeeds_and_names_the_options(string command, params string[] names)
    {
        var run = await Cli.RunAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("Usage:", run.Out);
        foreach (var name in names) Assert.Contains(name, run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Help_shows_the_defaults()
    {
        var run = await Cli.RunAsync("compare", "--help");
        Assert.Contains("[default: 1]", run.Out);            // --epochs
        Assert.Contains("(default: 10,000)", run.Out);       // --subset
        Assert.Contains("runs/compare", run.Out);
    }
}
