using KernelGen.Models.Tensors;

namespace KernelGen.Models.Architectures;

public sealed partial class Gpt
{
    /// <summary>
    /// Continues <paramref name="prompt"/> by <paramref name="tokens"/> tokens, one forward pass each over the last
    /// <see cref="GptConfig.Context"/> tokens: the next token is drawn from softmax(logits / temperature), restricted
    /// to the <paramref name="topK"/> most likely when given (nanoGPT's generate). Each step reads back one row of
    /// logits, asynchronously. Calls <paramref name="onToken"/> as each token arrives (live output).
    /// </summary>
    public async Task<int[]> GenerateAsync(BufferPool pool, IReadOnlyList<int> prompt, int tokens, Random random, float temperature = 1f,
        int? topK = null, Action<int>? onToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        if (!(temperature > 0f)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be positive");
        if (topK is <= 0) throw new ArgumentOutOfRangeException(nameof(topK), topK, "must be positive");
        if (prompt.Count == 0) throw new ArgumentException("The prompt needs at least one token.", nameof(prompt));
        Eval();
        var sequence = new List<int>(prompt);
        int vocab = Config.Vocabulary;
        for (int n = 0; n < tokens; n++)
        {
            int time = Math.Min(sequence.Count, Config.Context);
            var window = sequence.GetRange(sequence.Count - time, time).ToArray();
            float[] logits;
            var graph = new Graph(pool, recordGradients: false) { Training = false };
            try
            {
                GpuBufferView<float> output;
                using (pool.Device.BeginBatch())
                    output = Forward(graph.Indices(window, new Shape(1, time), vocab, "token")).Buffer.Slice(0, time * vocab);
                logits = await output.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                graph.Dispose();
            }
            int next = Sample(logits.AsSpan((time - 1) * vocab, vocab), random, temperature, topK);
            sequence.Add(next);
            onToken?.Invoke(next);
        }
        Train();
        return [.. sequence];
    }

    /// <summary>Draws an index from softmax(logits / temperature) over the top k logits.</summary>
    public static int Sample(ReadOnlySpan<float> logits, Random random, float temperature, int? topK)
    {
        var order = Enumerable.Range(0, logits.Length).ToArray();
        var values = logits.ToArray();
        Array.Sort(order, (a, b) => values[b].CompareTo(values[a]));
        int k = Math.Min(topK ?? logits.Length, logits.Length);
        double max = values[order[0]] / temperature, total = 0;
        var weights = new double[k];
        for (int i = 0; i < k; i++) total += weights[i] = Math.Exp(values[order[i]] / temperature - max);
        double u = random.NextDouble() * total;
        for (int i = 0; i < k; i++)
        {
            u -= weights[i];
            if (u <= 0) return order[i];
        }
        return order[k - 1];
    }
}
