using KernelGen.Models.Architectures;
using KernelGen.Models.Nn;
using KernelGen.Models.Training;
using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>
/// The inputs of the figures tests, made once: untrained checkpoints of a CNN, a non-local CNN and a ViT (their
/// metadata as kernelgen train writes it), a tiny trained GPT, and two run folders with every file a run writes.
/// </summary>
public sealed class FigureInputs : IAsyncLifetime
{
    internal Cli.TempFolder Folder { get; } = new();

    public string Checkpoint(string architecture) => Path.Combine(Folder.Path, architecture, "checkpoint.safetensors");

    public string Run(string name) => Path.Combine(Folder.Path, "runs", name);

    public async Task InitializeAsync()
    {
        using var device = ComputeDevice.OpenCpu();
        foreach (var architecture in new[] { "cnn", "cnn-nonlocal", "vit" })
        {
            using var model = Catalog.Find(architecture)!.Create(new Init(device, 1), new ImageShape(1, 28, 28), 10);
            Directory.CreateDirectory(Path.GetDirectoryName(Checkpoint(architecture))!);
            KernelGen.Models.Training.Checkpoint.Save(Checkpoint(architecture), model, null, new Dictionary<string, string> { ["architecture"] = architecture, ["data"] = "mnist" });
        }
        var gpt = await Cli.RunAsync("train", "gpt", "--steps", "2", "--layers", "2", "--heads", "2", "--width", "16", "--context", "16", "--batch", "2",
            "--backend", "cpu", "--out", Path.Combine(Folder.Path, "gpt"));
        Assert.True(gpt.Code == 0, gpt.ToString());
        for (int run = 0; run < 2; run++)
        {
            string folder = Run(run == 0 ? "plain" : "residual");
            Directory.CreateDirectory(folder);
            File.WriteAllLines(Path.Combine(folder, "metrics.jsonl"), Enumerable.Range(1, 3).Select(e =>
                $"{{\"epoch\":{e},\"train_loss\":{1.0 / e + run},\"test_loss\":{1.2 / e + run},\"test_accuracy\":{0.5 + 0.1 * e - 0.1 * run},\"seconds\":2,\"ms_per_step\":20}}"));
            File.WriteAllLines(Path.Combine(folder, "steps.jsonl"), Enumerable.Range(1, 300).Select(s => $"{{\"step\":{s},\"loss\":{2.0 / (1 + s * 0.01) + run}}}"));
            File.WriteAllLines(Path.Combine(folder, "gradient-norms.jsonl"), new[] { 1, 51, 101 }.Select(s =>
                $"{{\"step\":{s},\"layers\":[\"stem\",\"stage1.0\",\"classifier\"],\"norms\":[{0.1 + run},{0.5 + run},{1.0 + s * 0.001}]}}"));
        }
        Directory.CreateDirectory(Run("empty"));
    }

    public Task DisposeAsync()
    {
        Folder.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>kernelgen figures: each subcommand writes its PNG and SVG from a tiny checkpoint or run folder; wrong inputs are messages, not stack traces.</summary>
public sealed class FiguresCommandTests(FigureInputs inputs) : IClassFixture<FigureInputs>, IDisposable
{
    private readonly Cli.TempFolder output = new();

    public void Dispose() => output.Dispose();

    private async Task<Cli.Result> Figures(params string[] args)
    {
        var run = await Cli.RunAsync(["figures", .. args, "--out", output.Path]);
        Assert.True(run.Code == 0, run.ToString());
        return run;
    }

    [Fact]
    public async Task Filters_draws_the_first_layer_filters_and_feature_maps()
    {
        var run = await Figures("filters", inputs.Checkpoint("cnn"), "--image", "5", "--backend", "cpu");
        Assert.Contains($"wrote {output["filters.png"]} and filters.svg", run.Out);
        FigureChecks.AssertFigure(output["filters"]);
        FigureChecks.AssertFigure(output["feature-maps"]);
    }

    [Fact]
    public async Task Attention_draws_a_vit_over_an_image_and_the_gpt_over_a_prompt()
    {
        await Figures("attention", inputs.Checkpoint("vit"), "--backend", "cpu");
        FigureChecks.AssertFigure(output["vit-attention"]);
        await Figures("attention", Path.Combine(inputs.Folder.Path, "gpt", "checkpoint.safetensors"), "--prompt", "To be, or not", "--backend", "cpu");
        FigureChecks.AssertFigure(output["gpt-attention"]);
    }

    [Fact]
    public async Task Nonlocal_draws_the_attention_of_a_query_position()
    {
        await Figures("nonlocal", inputs.Checkpoint("cnn-nonlocal"), "--query", "0", "--backend", "cpu");
        FigureChecks.AssertFigure(output["nonlocal-attention"]);
    }

    [Fact]
    public async Task Gradients_and_curves_draw_several_runs()
    {
        await Figures("gradients", inputs.Run("plain"), inputs.Run("residual"), "--max-step", "60");
        FigureChecks.AssertFigure(output["gradient-norms"]);
        Assert.Contains("residual", File.ReadAllText(output["gradient-norms.svg"]));
        await Figures("curves", inputs.Run("plain"), inputs.Run("residual"));
        FigureChecks.AssertFigure(output["accuracy"]);
        FigureChecks.AssertFigure(output["loss"]);
    }

    [Theory]
    [InlineData("cnn-nonlocal", "attention", "figures attention draws a ViT's")]
    [InlineData("vit", "filters", "figures filters draws a CNN's")]
    [InlineData("cnn", "nonlocal", "figures nonlocal draws a non-local block's")]
    [InlineData("gpt", "filters", "a gpt checkpoint, not one of a vision architecture")]
    public async Task A_checkpoint_of_another_architecture_is_a_message_and_exit_code_1(string architecture, string figure, string message)
    {
        string checkpoint = architecture == "gpt" ? Path.Combine(inputs.Folder.Path, "gpt", "checkpoint.safetensors") : inputs.Checkpoint(architecture);
        var run = await Cli.RunAsync("figures", figure, checkpoint, "--backend", "cpu", "--out", output.Path);
        Assert.True(run.Code == 1, run.ToString());
        Assert.Contains(message, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task A_run_without_gradient_norms_is_a_message_and_exit_code_1()
    {
        var run = await Cli.RunAsync("figures", "gradients", inputs.Run("plain"), inputs.Run("empty"), "--out", output.Path);
        Assert.True(run.Code == 1, run.ToString());
        Assert.Contains("no gradient norms logged at a step up to 500", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Theory]
    [InlineData("There is no checkpoint file at '/nonexistent/c.safetensors'", "kernelgen figures filters <checkpoint>", "filters", "/nonexistent/c.safetensors")]
    [InlineData("There is no run folder at '/nonexistent/run'", "kernelgen figures gradients <run folders>", "gradients", "/nonexistent/run")]
    [InlineData("Required argument missing", "kernelgen figures curves <run folders>", "curves")]
    [InlineData("--max-step must be an integer >= 1; got '0'", "kernelgen figures gradients <run folders>", "gradients", ".", "--max-step", "0")]
    [InlineData("Required command was not provided", "kernelgen figures [command]")]
    public async Task Bad_values_are_usage_errors_with_exit_code_2(string message, string usage, params string[] args)
    {
        var run = await Cli.RunAsync(["figures", .. args]);
        Assert.True(run.Code == 2, run.ToString());
        Assert.Contains(message, run.Error);
        Assert.Contains($"Usage: {usage}", run.Error);
    }

    [Fact]
    public async Task An_image_past_the_test_set_is_a_usage_error()
    {
        var run = await Cli.RunAsync("figures", "filters", inputs.Checkpoint("cnn"), "--image", "10000", "--backend", "cpu", "--out", output.Path);
        Assert.True(run.Code == 2, run.ToString());
        Assert.Contains("--image 10000: the test set of mnist has 10,000 images (0 to 9,999).", run.Error);
    }
}
