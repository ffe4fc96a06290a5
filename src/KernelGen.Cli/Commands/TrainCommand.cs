using System.CommandLine;
using KernelGen.Cli.Commands.Training;
using KernelGen.Models.Data;
using KernelGen.Models.Architectures;

namespace KernelGen.Cli.Commands;

/// <summary>
/// <c>kernelgen train &lt;architecture&gt;</c> trains one vision architecture on MNIST or Fashion-MNIST
/// (<see cref="VisionRun"/>); <c>kernelgen train gpt</c> the character GPT on Tiny Shakespeare or any UTF-8 text
/// (<see cref="GptRun"/>).
/// </summary>
internal static class TrainCommand
{
    /// <summary>The vision options <c>train</c> and <c>compare</c> share.</summary>
    internal sealed class SharedOptions
    {
        public Option<string> Data { get; } = CliOptions.Choice("--data", "the data set: " + string.Join("; ", Tasks.All.Select(t => $"{t.Name} ({t.Description})")), "mnist", [.. Tasks.All.Select(t => t.Name)]);
        public Option<int> Epochs { get; }
        public Option<int?> Subset { get; }
        public Option<int> Batch { get; } = CliOptions.Int("--batch", "images per step", 64);
        public Option<int> Seed { get; } = CliOptions.Int("--seed", "seeds the initialisation, the batch order and dropout", 1, min: 0);
        public Option<string> Backend { get; } = CliOptions.Backend();
        public Option<string?> DataDirectory { get; } = CliOptions.DataDirectory();

        public SharedOptions(int epochs, int? subset)
        {
            Epochs = CliOptions.Int("--epochs", "passes over the training images", epochs);
            Subset = CliOptions.OptionalInt("--subset", $"train on the first N training images (default: {(subset is { } n ? n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "all 60,000")})");
            Subset.DefaultValueFactory = _ => subset;
        }

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Data, Epochs, Subset, Batch, Seed, Backend, DataDirectory }) command.Options.Add(option);
        }

        public VisionSettings Read(ParseResult parse, string architecture) => new(architecture)
        {
            Data = parse.GetValue(Data)!,
            Epochs = parse.GetValue(Epochs),
            Subset = parse.GetValue(Subset),
            Batch = parse.GetValue(Batch),
            Seed = parse.GetValue(Seed),
            Backend = parse.GetValue(Backend)!,
            DataDirectory = parse.GetValue(DataDirectory),
        };
    }

    public static Command Create(CliContext context)
    {
        var architecture = new Argument<string>("architecture")
        {
            HelpName = "architecture",
            Description = "one of " + string.Join(", ", Catalog.Vision.Select(a => a.Name)) + " (`kernelgen list` describes them), or gpt",
        };
        architecture.CompletionSources.Add([.. Catalog.Vision.Select(a => a.Name), "gpt"]);
        architecture.Validators.Add(r =>
        {
            string name = r.GetValueOrDefault<string>();
            if (Catalog.Find(name) is null)
                r.AddError($"Unknown architecture '{name}'; one of {string.Join(", ", Catalog.Vision.Select(a => a.Name))}, gpt.");
        });
        var shared = new SharedOptions(epochs: 1, subset: null);
        var optimizer = CliOptions.Choice("--optimizer", "the optimizer (default: sgd for perceptron and the MLPs, adamw for the rest)", "", "sgd", "adamw");
        optimizer.DefaultValueFactory = null;
        var lr = CliOptions.OptionalFloat("--lr", "the peak learning rate of the warm-up + cosine schedule (default: 0.1 for sgd, 0.001 for adamw)", positive: true);
        var momentum = CliOptions.Float("--momentum", "SGD's momentum", 0f);
        momentum.Validators.Add(r => { if (r.GetValueOrDefault<float>() >= 1f) r.AddError("--momentum must be below 1."); });
        var output = CliOptions.OutFolder("the run folder (default: runs/<architecture>-<data>)");
        var checkpointEvery = CliOptions.OptionalInt("--checkpoint-every", "write the checkpoint every N steps (default: every epoch) and at the end");
        var resume = CliOptions.Flag("--resume", "continue from the run folder's checkpoint (with the same options) to the result of an uninterrupted run");

        var command = new Command("train", "train a model of the article; writes metrics.jsonl, steps.jsonl, gradient-norms.jsonl and checkpoint.safetensors in the run folder");
        command.Arguments.Add(architecture);
        shared.AddTo(command);
        foreach (var option in new Option[] { optimizer, lr, momentum, output, checkpointEvery, resume }) command.Options.Add(option);
        command.Subcommands.Add(CreateGpt(context));
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = shared.Read(parse, Catalog.Find(parse.GetValue(architecture)!)!.Name) with
            {
                Optimizer = parse.GetValue(optimizer) is { Length: > 0 } name ? name : null,
                LearningRate = parse.GetValue(lr),
                Momentum = parse.GetValue(momentum),
                Out = parse.GetValue(output),
                CheckpointEvery = parse.GetValue(checkpointEvery),
                Resume = parse.GetValue(resume),
            };
            await VisionRun.RunAsync(settings, TrainingProgress.For(context), context.Error, cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command CreateGpt(CliContext context)
    {
        var steps = CliOptions.Int("--steps", "optimizer steps", 500);
        var layers = CliOptions.Int("--layers", "Transformer blocks", 4);
        var heads = CliOptions.Int("--heads", "attention heads per block (must divide --width)", 4);
        var width = CliOptions.Int("--width", "the embedding width", 128);
        var contextLength = CliOptions.Int("--context", "characters the model sees at once", 64);
        var batch = CliOptions.Int("--batch", "windows per step", 32);
        var lr = CliOptions.Float("--lr", "AdamW's peak learning rate (warm-up + cosine)", 1e-3f, positive: true);
        var seed = CliOptions.Int("--seed", "seeds the initialisation, the windows and dropout", 1, min: 0);
        var backend = CliOptions.Backend();
        var output = CliOptions.OutFolder("the run folder (default: runs/gpt)");
        var checkpointEvery = CliOptions.OptionalInt("--checkpoint-every", "write the checkpoint every N steps (default: every tenth of the steps) and at the end");
        var resume = CliOptions.Flag("--resume", "continue from the run folder's checkpoint (with the same options)");
        var text = CliOptions.ExistingFile("--text", "a UTF-8 text file to train on instead of Tiny Shakespeare (its characters are the vocabulary)");
        var dataDirectory = CliOptions.DataDirectory();

        var command = new Command("gpt", "train the character GPT on Tiny Shakespeare (or --text FILE), then print a sample");
        foreach (var option in new Option[] { steps, layers, heads, width, contextLength, batch, lr, seed, backend, output, checkpointEvery, resume, text, dataDirectory })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // (Here, not in a command validator: those run before the options' defaults are in place.)
            if (parse.GetValue(width) % parse.GetValue(heads) is not 0)
                throw new UsageException($"--width ({parse.GetValue(width)}) must be a multiple of --heads ({parse.GetValue(heads)}).");
            var settings = new GptSettings
            {
                Steps = parse.GetValue(steps), Layers = parse.GetValue(layers), Heads = parse.GetValue(heads), Width = parse.GetValue(width),
                Context = parse.GetValue(contextLength), Batch = parse.GetValue(batch), LearningRate = parse.GetValue(lr), Seed = parse.GetValue(seed),
                Backend = parse.GetValue(backend)!, Out = parse.GetValue(output), CheckpointEvery = parse.GetValue(checkpointEvery),
                Resume = parse.GetValue(resume), TextFile = parse.GetValue(text), DataDirectory = parse.GetValue(dataDirectory),
            };
            return await GptRun.RunAsync(settings, TrainingProgress.For(context, stepLines: false), context.Error, cancellationToken);
        });
        return command;
    }
}
