using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Nn;

/// <summary>
/// The non-local block of Wang et al. (2018), "embedded Gaussian" form: every position of a [batch, channels, h, w]
/// feature map attends to every other, z = x + W_z · softmax(θ(x) φ(x)ᵀ) g(x). θ, φ, g and W_z are 1x1 convolutions,
/// here linear maps over the channels of the map seen as a sequence of h*w positions. W_z starts at zero, so the
/// block starts as the identity and the network it is inserted into is unchanged at initialisation (the paper
/// zero-initialises the batch norm after W_z for the same reason). Attention scores are scaled by 1/sqrt(inner).
/// </summary>
public sealed class NonLocalBlock : Layer
{
    public NonLocalBlock(Init init, int channels, int inner)
    {
        Theta = Register("theta", new Linear(init, channels, inner));
        Phi = Register("phi", new Linear(init, channels, inner));
        G = Register("g", new Linear(init, channels, inner));
        Z = Register("z", new Linear(init, inner, channels, scheme: InitScheme.Zeros));
    }

    public Linear Theta { get; }

    public Linear Phi { get; }

    public Linear G { get; }

    public Linear Z { get; }

    public override Tensor Forward(Tensor x)
    {
        int height = x.Shape[2], width = x.Shape[3];
        var positions = ChannelsLast(x, Path);                        // [batch, h*w, channels]
        var attended = ScaledDotProductAttention(Theta.Forward(positions), Phi.Forward(positions), G.Forward(positions), causal: false, Path);
        return Add(x, ChannelsFirst(Z.Forward(attended), height, width, Path), Path);
    }

    /// <summary>Where each position looks: [batch, h*w, h*w] attention weights (figures; no gradient).</summary>
    public Tensor Weights(Tensor x)
    {
        var positions = ChannelsLast(x, Path);
        return AttentionWeights(Theta.Forward(positions), Phi.Forward(positions), causal: false, Path);
    }
}
