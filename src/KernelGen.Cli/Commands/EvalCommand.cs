using System.CommandLine;
using System.Globalization;
using KernelGen.Cli.Commands.Training;
using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Training;

namespace KernelGen.Cli.Commands;

/// <summary>
/// <c>kernelgen eval &lt;checkpoint&gt;</c>: rebuilds the model a checkpoint's metadata names (a vision architecture of
/// the <see cref="Catalog"/>, or the GPT with its configuration), loads its parameters and prints the test accuracy
/// (vision) or the validation loss (GPT).
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = CliOptions.Checkpoint("a checkpoint written by kernelgen train (a run folder's checkpoint.safetensors)");
        var data = CliOptions.Choice("--data", "the test set (default: the one it was trained on)", "", [.. Tasks.All.Select(t => t.Name)]);
        data.DefaultValueFactory = null;
        var backend = CliOptions.Backend();
        var text = CliOptions.ExistingFile("--text", "GPT: the text to validate on (default: the one it was trained on, else Tiny Shakespeare)");
        var dataDirectory = CliOptions.DataDirectory();
        var command = new Command("eval", "print a checkpoint's test accuracy and loss (vision) or validation loss (GPT)") { checkpoint, data, backend, text, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(checkpoint)!;
            var metadata = Checkpoint.ReadMetadata(path);
            string architecture = CheckpointModels.Value(path, metadata, "architecture");
            string? dataDir = parse.GetValue(dataDirectory);
            if (architecture == "gpt")
            {
                var trainingText = CheckpointModels.TrainingText(metadata, parse.GetValue(text), dataDir);
                using var gptDevice = DeviceChoice.Open(parse.GetValue(backend)!, context.Error);
                var (gpt, _) = CheckpointModels.LoadGpt(path, metadata, gptDevice, trainingText);
                using (gpt)
                {
                    using var gptPool = new BufferPool(gptDevice);
                    double loss = await LanguageModelTrainer.Evaluate(gpt, gptPool, trainingText, Split.Validation, CheckpointModels.Int(path, metadata, "batch"), 20, cancellationToken);
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gpt ({gpt.ParameterCount:N0} parameters) from {path}: validation loss {loss:F4}"));
                }
                return 0;
            }

            using var device = DeviceChoice.Open(parse.GetValue(backend)!, context.Error);
            using var vision = CheckpointModels.LoadVision(path, metadata, device, parse.GetValue(data), dataDir);
            using var pool = new BufferPool(device);
            var evaluation = await ClassifierTrainer.Evaluate(vision.Model, pool, vision.Test, cancellationToken: cancellationToken);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{vision.Entry.Name} ({vision.Model.ParameterCount:N0} parameters) from {path} on {vision.Data}: test loss {evaluation.Loss:F4}, test accuracy {evaluation.Accuracy:P2}"));
            return 0;
        });
        return command;
    }
}
