using KernelGen.Models.Data;
using Xunit;

namespace KernelGen.Models.Tests.Data;

/// <summary>Tiny Shakespeare as character tokens: vocabulary, round trip, 90/10 split, next-token batches.</summary>
public sealed class TextDataSetTests
{
    private static TextDataSet Shakespeare => RealData.Shakespeare;

    [Fact]
    public void Tiny_shakespeare_has_1115394_characters_and_65_distinct()
    {
        Assert.Equal(1_115_394, Shakespeare.Text.Length);
        Assert.Equal(65, Shakespeare.VocabularySize);
        Assert.Equal('\n', Shakespeare.Vocabulary.Characters[0]); // ordinal order: newline, space, punctuation, letters
        Assert.Equal(' ', Shakespeare.Vocabulary.Characters[1]);
        Assert.StartsWith("First Citizen:", Shakespeare.Text);
    }

    [Fact]
    public void Encode_then_decode_gives_back_the_text()
    {
        string passage = Shakespeare.Text[..2000];
        int[] tokens = Shakespeare.Encode(passage);
        Assert.All(tokens, t => Assert.InRange(t, 0, 64));
        Assert.Equal(passage, Shakespeare.Decode(tokens));
        Assert.Equal(Shakespeare.Text, Shakespeare.Decode(Shakespeare.AllTokens));
    }

    [Fact]
    public void The_splits_are_the_first_90_and_last_10_percent_of_the_tokens()
    {
        var train = Shakespeare.Tokens(Split.Train);
        var validation = Shakespeare.Tokens(Split.Validation);
        Assert.Equal(1_003_854, train.Length); // int(0.9 * 1,115,394), as nanoGPT
        Assert.Equal(111_540, validation.Length);
        Assert.True(train.SequenceEqual(Shakespeare.AllTokens[..train.Length]));
        Assert.True(validation.SequenceEqual(Shakespeare.AllTokens[train.Length..]));
    }

    [Theory]
    [InlineData(Split.Train)]
    [InlineData(Split.Validation)]
    public void SampleBatch_targets_are_the_inputs_shifted_by_one_token(Split split)
    {
        const int batch = 8, context = 64;
        var inputs = new int[batch * context];
        var targets = new int[batch * context];
        Shakespeare.SampleBatch(new Random(7), batch, context, inputs, targets, split);

        string source = Shakespeare.Decode(Shakespeare.Tokens(split));
        for (int b = 0; b < batch; b++)
        {
            var row = inputs.AsSpan(b * context, context);
            var next = targets.AsSpan(b * context, context);
            Assert.True(row[1..].SequenceEqual(next[..^1]), $"row {b}: targets are not the inputs shifted by one");
            string window = Shakespeare.Decode(row) + Shakespeare.Decode(next[^1..]);
            Assert.Contains(window, source); // a contiguous window of this split, plus its next character
        }
    }

    [Fact]
    public void SampleBatch_is_deterministic_for_a_seed_and_varies_between_seeds()
    {
        int[] Sample(int seed)
        {
            var inputs = new int[4 * 32];
            Shakespeare.SampleBatch(new Random(seed), 4, 32, inputs, new int[4 * 32], Split.Train);
            return inputs;
        }
        Assert.Equal(Sample(42), Sample(42));
        Assert.NotEqual(Sample(42), Sample(43));
    }

    [Fact]
    public void A_text_shorter_than_context_plus_one_is_a_clear_error()
    {
        var tiny = TextDataSet.FromString("abcdefghijklmnopqrst", "tiny"); // 18 training tokens, 2 validation
        tiny.SampleBatch(new Random(1), 2, 17, new int[34], new int[34], Split.Train);
        var e = Assert.Throws<DataSetException>(() => tiny.SampleBatch(new Random(1), 2, 18, new int[36], new int[36], Split.Train));
        Assert.Contains("tiny", e.Message);
        Assert.Contains("training split has 18 tokens, fewer than context 18 + 1", e.Message);
        e = Assert.Throws<DataSetException>(() => tiny.SampleBatch(new Random(1), 1, 2, new int[2], new int[2], Split.Validation));
        Assert.Contains("validation split has 2 tokens", e.Message);
    }

    [Fact]
    public void An_empty_file_names_its_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"kernelgen-empty-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "");
        try
        {
            var e = Assert.Throws<DataSetException>(() => TextDataSet.FromFile(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("empty", e.Message);
            Assert.Contains(DataSetException.InstallCommand, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Contains("missing", Assert.Throws<DataSetException>(() => TextDataSet.FromFile(path)).Message);
    }

    [Fact]
    public void Characters_outside_the_vocabulary_and_tokens_outside_it_are_refused()
    {
        var abc = TextDataSet.FromString("abcabc");
        Assert.Equal(3, abc.VocabularySize);
        Assert.Equal([0, 1, 2], abc.Encode("abc"));
        Assert.Contains("'z' at index 1", Assert.Throws<ArgumentException>(() => abc.Encode("az")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => abc.Decode([0, 3]));
    }

    [Fact]
    public void Arrays_too_small_for_the_batch_are_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            Shakespeare.SampleBatch(new Random(1), 2, 8, new int[15], new int[16], Split.Train));
    }
}
