using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Nn;

/// <summary>
/// Multi-head self-attention over [batch, time, width] (Vaswani et al. 2017): queries, keys and values are three
/// projections of the same sequence, split into heads of width / heads features; each head attends with
/// softmax(q kᵀ / sqrt(d)) v (causal: position t sees 0..t), and the heads are merged and projected back.
/// </summary>
public sealed class MultiHeadSelfAttention : Layer
{
    public MultiHeadSelfAttention(Init init, int width, int heads, bool causal, float dropout = 0f)
    {
        if (width % heads != 0) throw new ArgumentException($"width {width} is not divisible by {heads} heads.", nameof(heads));
        Heads = heads;
        Causal = causal;
        Query = Register("query", new Linear(init, width, width));
        Key = Register("key", new Linear(init, width, width));
        Value = Register("value", new Linear(init, width, width));
        Output = Register("output", new Linear(init, width, width));
        Drop = Register("dropout", new Dropout(dropout));
    }

    public int Heads { get; }

    public bool Causal { get; }

    public Linear Query { get; }

    public Linear Key { get; }

    public Linear Value { get; }

    public Linear Output { get; }

    public Dropout Drop { get; }

    public override Tensor Forward(Tensor x)
    {
        var q = SplitHeads(Query.Forward(x), Heads, Path);
        var k = SplitHeads(Key.Forward(x), Heads, Path);
        var v = SplitHeads(Value.Forward(x), Heads, Path);
        var attended = MergeHeads(ScaledDotProductAttention(q, k, v, Causal, Path), Heads, Path);
        return Drop.Forward(Output.Forward(attended));
    }

    /// <summary>The attention weights of every head for x: [batch * heads, time, time] (figures; no gradient).</summary>
    public Tensor Weights(Tensor x) =>
        AttentionWeights(SplitHeads(Query.Forward(x), Heads, Path), SplitHeads(Key.Forward(x), Heads, Path), Causal, Path);
}
