using System.Text;

namespace KernelGen.Models.Data;

/// <summary>
/// A text as a stream of character tokens for a language model, split like nanoGPT's shakespeare_char: the first
/// 90% of the tokens to train on, the last 10% to validate on (a contiguous tail, so validation text is unseen).
/// </summary>
public sealed class TextDataSet
{
    /// <summary>The share of the tokens in the training split.</summary>
    public const double TrainFraction = 0.9;

    private readonly int[] _tokens;
    private readonly int _trainLength;

    private TextDataSet(string name, string text)
    {
        if (text.Length == 0) throw new DataSetException(name, "empty: a text data set needs at least one character");
        Name = name;
        Text = text;
        Vocabulary = new CharVocabulary(text);
        _tokens = Vocabulary.Encode(text);
        _trainLength = (int)(_tokens.Length * TrainFraction);
    }

    /// <summary>Reads a UTF-8 file; a missing, empty or non-UTF-8 file is a <see cref="DataSetException"/> naming it.</summary>
    public static TextDataSet FromFile(string path)
    {
        if (!File.Exists(path)) throw new DataSetException(path, "missing");
        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException e)
        {
            throw new DataSetException(path, $"not valid UTF-8 ({e.Message})", e);
        }
        return new TextDataSet(path, text);
    }

    /// <summary>A data set of <paramref name="text"/> itself (tests, small experiments).</summary>
    public static TextDataSet FromString(string text, string name = "text")
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TextDataSet(name, text);
    }

    /// <summary>Where the text came from (its path for a file); error messages use it.</summary>
    public string Name { get; }

    /// <summary>The whole text.</summary>
    public string Text { get; }

    /// <summary>The character vocabulary of the whole text (both splits).</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>How many distinct characters the text has (65 for Tiny Shakespeare).</summary>
    public int VocabularySize => Vocabulary.Size;

    /// <summary>The whole text's tokens.</summary>
    public ReadOnlySpan<int> AllTokens => _tokens;

    /// <summary>The tokens of one split: the first 90% for <see cref="Split.Train"/>, the rest otherwise.</summary>
    public ReadOnlySpan<int> Tokens(Split split) =>
        split == Split.Train ? _tokens.AsSpan(0, _trainLength) : _tokens.AsSpan(_trainLength);

    /// <inheritdoc cref="CharVocabulary.Encode"/>
    public int[] Encode(string text) => Vocabulary.Encode(text);

    /// <inheritdoc cref="CharVocabulary.Decode"/>
    public string Decode(ReadOnlySpan<int> tokens) => Vocabulary.Decode(tokens);

    /// <summary>
    /// Fills a batch of random windows from one split, as nanoGPT's get_batch: for each row b a start s drawn
    /// uniformly from 0 .. length - context - 1, inputs[b*context + t] = tokens[s + t] and targets[b*context + t] =
    /// tokens[s + t + 1], the next token each position must predict. The arrays are the caller's, reused every step.
    /// </summary>
    public void SampleBatch(Random rng, int batch, int context, int[] inputs, int[] targets, Split split)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 1);
        long needed = (long)batch * context;
        if (inputs.Length < needed) throw new ArgumentException($"inputs has {inputs.Length} elements; batch {batch} x context {context} needs {needed}.", nameof(inputs));
        if (targets.Length < needed) throw new ArgumentException($"targets has {targets.Length} elements; batch {batch} x context {context} needs {needed}.", nameof(targets));
        var tokens = Tokens(split);
        if (tokens.Length < context + 1)
            throw new DataSetException(Name, $"the {SplitName(split)} split has {tokens.Length} tokens, fewer than context {context} + 1 needed for one window and its next-token targets");

        for (int b = 0; b < batch; b++)
        {
            int start = rng.Next(tokens.Length - context);
            tokens.Slice(start, context).CopyTo(inputs.AsSpan(b * context, context));
            tokens.Slice(start + 1, context).CopyTo(targets.AsSpan(b * context, context));
        }
    }

    private static string SplitName(Split split) => split == Split.Train ? "training" : "validation";

    /// <summary>Name, length and vocabulary, for logs.</summary>
    public override string ToString() => $"{Name}: {_tokens.Length} characters, {VocabularySize} distinct";
}
