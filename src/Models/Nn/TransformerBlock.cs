using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Nn;

/// <summary>The position-wise MLP of a Transformer block (and of the Mixer's channel mixing): Linear, GELU, Linear.</summary>
public sealed class FeedForward : Layer
{
    public FeedForward(Init init, int width, int hidden, float dropout = 0f)
    {
        Up = Register("up", new Linear(init, width, hidden));
        Down = Register("down", new Linear(init, hidden, width));
        Drop = Register("dropout", new Dropout(dropout));
    }

    public Linear Up { get; }

    public Linear Down { get; }

    public Dropout Drop { get; }

    public override Tensor Forward(Tensor x) => Drop.Forward(Down.Forward(Gelu(Up.Forward(x), Path)));
}

/// <summary>
/// A pre-norm Transformer block (GPT-2, ViT): x + attention(norm(x)), then + mlp(norm(x)). The residual path carries
/// the input unchanged, so gradients reach the first block however deep the stack.
/// </summary>
public sealed class TransformerBlock : Layer
{
    public TransformerBlock(Init init, int width, int heads, bool causal, int mlpRatio = 4, float dropout = 0f)
    {
        Norm1 = Register("norm1", new LayerNorm(init, width));
        Attention = Register("attention", new MultiHeadSelfAttention(init, width, heads, causal, dropout));
        Norm2 = Register("norm2", new LayerNorm(init, width));
        Mlp = Register("mlp", new FeedForward(init, width, mlpRatio * width, dropout));
    }

    public LayerNorm Norm1 { get; }

    public MultiHeadSelfAttention Attention { get; }

    public LayerNorm Norm2 { get; }

    public FeedForward Mlp { get; }

    public override Tensor Forward(Tensor x)
    {
        x = Add(x, Attention.Forward(Norm1.Forward(x)), Path);
        return Add(x, Mlp.Forward(Norm2.Forward(x)), Path);
    }
}
