using System.Globalization;
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
    public const string Usage = "kernelgen eval <checkpoint.safetensors> [--data mnist|fashion] [--backend auto|webgpu|cpu]";

    public static async Task<int> RunAsync(Options options, TextWriter output)
    {
        if (options.Positional.Count < 2) throw new UsageException("eval needs a checkpoint file (a run's checkpoint.safetensors).");
        string path = options.Positional[1];
        if (options.Positional.Count > 2) throw new UsageException($"eval takes one checkpoint; got also '{options.Positional[2]}'.");
        string backend = options.Text("backend", "auto", "auto", "webgpu", "cpu");
        var metadata = Checkpoint.ReadMetadata(path);
        string architecture = Value(path, metadata, "architecture");
        if (architecture == "gpt")
        {
            options.RejectUnknown();
            var text = DataSets.TinyShakespeare();
            int vocabulary = Int(path, metadata, "vocabulary");
            if (vocabulary != text.VocabularySize)
                throw new CheckpointException(path, $"the model's vocabulary is {vocabulary} characters; Tiny Shakespeare has {text.VocabularySize}");
            var config = new GptConfig(vocabulary, Int(path, metadata, "context"), Int(path, metadata, "layers"), Int(path, metadata, "heads"), Int(path, metadata, "width"));
            using var gptDevice = DeviceChoice.Open(backend, output);
            using var gpt = new Gpt(new Init(gptDevice, 0), config);
            Checkpoint.Load(path, gpt, optimizer: null);
            using var gptPool = new BufferPool(gptDevice);
            double loss = await LanguageModelTrainer.Evaluate(gpt, gptPool, text, Split.Validation, Int(path, metadata, "batch"), 20);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gpt ({gpt.ParameterCount:N0} parameters) from {path}: validation loss {loss:F4}"));
            return 0;
        }

        var entry = Catalog.Find(architecture) ?? throw new CheckpointException(path, $"unknown architecture '{architecture}' in the metadata");
        string data = options.Text("data", metadata.TryGetValue("data", out var trained) ? trained : "mnist", "mnist", "fashion");
        options.RejectUnknown();
        var test = data == "fashion" ? DataSets.FashionMnist(Split.Test) : DataSets.Mnist(Split.Test);
        using var device = DeviceChoice.Open(backend, output);
        using var model = entry.Create(new Init(device, 0), new ImageShape(1, test.Height, test.Width), test.Classes);
        Checkpoint.Load(path, model, optimizer: null);
        using var pool = new BufferPool(device);
        var evaluation = await ClassifierTrainer.Evaluate(model, pool, test);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{entry.Name} ({model.ParameterCount:N0} parameters) from {path} on {data}: test loss {evaluation.Loss:F4}, test accuracy {evaluation.Accuracy:P2}"));
        return 0;
    }

    private static string Value(string path, IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) ? value : throw new CheckpointException(path, $"the metadata has no '{key}' (not a kernelgen train checkpoint?)");

    private static int Int(string path, IReadOnlyDictionary<string, string> metadata, string key) =>
        int.TryParse(Value(path, metadata, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n : throw new CheckpointException(path, $"metadata '{key}' is not a positive integer: '{metadata[key]}'");
}
