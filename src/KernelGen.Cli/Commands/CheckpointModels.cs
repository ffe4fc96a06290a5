using System.Globalization;
using KernelGen.Cli.Commands.Training;
using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Training;

namespace KernelGen.Cli.Commands;

/// <summary>Rebuilds the model a <c>kernelgen train</c> checkpoint's metadata describes (eval, sample, figures).</summary>
internal static class CheckpointModels
{
    /// <summary>
    /// The GPT of a checkpoint and its vocabulary: the characters stored in the metadata, else those of
    /// <paramref name="textFile"/>, the text it was trained on (its "text"), or Tiny Shakespeare. Parameters loaded.
    /// </summary>
    public static (Gpt Model, CharVocabulary Vocabulary) LoadGpt(string path, IReadOnlyDictionary<string, string> metadata, ComputeDevice device,
        TextDataSet? text)
    {
        int vocabularySize = Int(path, metadata, "vocabulary");
        CharVocabulary vocabulary;
        if (metadata.TryGetValue(GptRun.CharactersKey, out var characters))
        {
            vocabulary = new CharVocabulary(characters);
            if (text is not null && !text.Vocabulary.Characters.SequenceEqual(vocabulary.Characters))
                throw new CheckpointException(path, $"the model's vocabulary is not that of {text.Name} ({vocabulary.Size} characters, the text has {text.VocabularySize})");
        }
        else
        {
            vocabulary = (text ?? throw new CheckpointException(path, "the metadata has no 'characters'; give --text, the text it was trained on")).Vocabulary;
        }
        if (vocabulary.Size != vocabularySize)
            throw new CheckpointException(path, $"the model's vocabulary is {vocabularySize} characters; {text?.Name ?? "its 'characters'"} has {vocabulary.Size}");
        var config = new GptConfig(vocabularySize, Int(path, metadata, "context"), Int(path, metadata, "layers"), Int(path, metadata, "heads"), Int(path, metadata, "width"));
        var gpt = new Gpt(new Init(device, 0), config);
        try
        {
            Checkpoint.Load(path, gpt, optimizer: null);
        }
        catch
        {
            gpt.Dispose();
            throw;
        }
        return (gpt, vocabulary);
    }

    /// <summary>
    /// The vision model of a checkpoint (its "architecture", a <see cref="Catalog"/> name) with its parameters loaded,
    /// sized for the test set of <paramref name="data"/>, else of the task it was trained on (its "data"), else MNIST.
    /// A GPT checkpoint or an unknown architecture is a <see cref="CheckpointException"/>.
    /// </summary>
    public static VisionCheckpoint LoadVision(string path, IReadOnlyDictionary<string, string> metadata, ComputeDevice device, string? data, string? dataDirectory)
    {
        string architecture = Value(path, metadata, "architecture");
        var entry = Catalog.Find(architecture) ?? throw new CheckpointException(path, architecture == "gpt"
            ? "a gpt checkpoint, not one of a vision architecture" : $"unknown architecture '{architecture}' in the metadata");
        string dataName = data is { Length: > 0 } ? data : metadata.TryGetValue("data", out var trained) ? trained : "mnist";
        var test = Tasks.Load(dataName, Split.Test, dataDirectory);
        var model = entry.Create(new Init(device, 0), new ImageShape(1, test.Height, test.Width), test.Classes);
        try
        {
            Checkpoint.Load(path, model, optimizer: null);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new VisionCheckpoint(entry, model, dataName, test);
    }

    /// <summary>The text a GPT checkpoint was trained on: --text, else its "text" metadata where that file exists, else Tiny Shakespeare.</summary>
    public static TextDataSet TrainingText(IReadOnlyDictionary<string, string> metadata, string? textFile, string? dataDirectory) =>
        textFile is not null ? DataSets.TinyShakespeare(textFile)
        : metadata.TryGetValue("text", out var trained) && File.Exists(trained) ? DataSets.TinyShakespeare(trained)
        : DataSets.TinyShakespeare(dataDirectory: dataDirectory);

    public static string Value(string path, IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) ? value : throw new CheckpointException(path, $"the metadata has no '{key}' (not a kernelgen train checkpoint?)");

    public static int Int(string path, IReadOnlyDictionary<string, string> metadata, string key) =>
        int.TryParse(Value(path, metadata, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n : throw new CheckpointException(path, $"metadata '{key}' is not a positive integer: '{metadata[key]}'");
}

/// <summary>A vision checkpoint's model (parameters loaded; disposed with this), its catalog entry and the test set it was sized for.</summary>
internal sealed record VisionCheckpoint(ArchitectureEntry Entry, ImageClassifier Model, string Data, ImageDataSet Test) : IDisposable
{
    public void Dispose() => Model.Dispose();
}
