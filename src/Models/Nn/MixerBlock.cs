using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Nn;

/// <summary>
/// A block of MLP-Mixer (Tolstikhin et al. 2021) over [batch, tokens, channels]: token mixing (an MLP across the
/// tokens, the same for every channel: where attention would look, a fixed learned mixture) and channel mixing (an
/// MLP per token), each pre-norm with a residual connection.
/// </summary>
public sealed class MixerBlock : Layer
{
    public MixerBlock(Init init, int tokens, int channels, int tokenHidden, int channelHidden)
    {
        Norm1 = Register("norm1", new LayerNorm(init, channels));
        TokenMixing = Register("token_mixing", new FeedForward(init, tokens, tokenHidden));
        Norm2 = Register("norm2", new LayerNorm(init, channels));
        ChannelMixing = Register("channel_mixing", new FeedForward(init, channels, channelHidden));
    }

    public LayerNorm Norm1 { get; }

    public FeedForward TokenMixing { get; }

    public LayerNorm Norm2 { get; }

    public FeedForward ChannelMixing { get; }

    public override Tensor Forward(Tensor x)
    {
        var mixedTokens = TransposeLastTwo(TokenMixing.Forward(TransposeLastTwo(Norm1.Forward(x), Path)), Path);
        x = Add(x, mixedTokens, Path);
        return Add(x, ChannelMixing.Forward(Norm2.Forward(x)), Path);
    }
}
