using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Nn;

/// <summary>
/// The basic block of He et al. (2016): relu(x + conv(relu(conv(x)))), two 3x3 convolutions; the shortcut is the
/// identity, or a 1x1 convolution where the block changes the channels or the resolution. With
/// <paramref name="residual"/> false the same block has no shortcut: the "plain" network of the paper's comparison.
/// </summary>
/// <remarks>
/// There is no batch normalisation (see docs: it has no kernel here yet). Instead the second convolution of a
/// residual block starts at zero, so every block starts as the identity (as Fixup and "zero-γ" initialisation do):
/// the signal and its gradient pass through a deep stack undamped at the start of training. The plain block keeps
/// He initialisation, its best chance without normalisation.
/// </remarks>
public sealed class ResidualBlock : Layer
{
    public ResidualBlock(Init init, int inChannels, int outChannels, int stride = 1, bool residual = true)
    {
        Residual = residual;
        Conv1 = Register("conv1", new Conv2d(init, inChannels, outChannels, 3, stride, 1));
        Conv2 = Register("conv2", new Conv2d(init, outChannels, outChannels, 3, 1, 1,
            scheme: residual ? InitScheme.Zeros : InitScheme.KaimingNormal));
        if (residual && (inChannels != outChannels || stride != 1))
            Shortcut = Register("shortcut", new Conv2d(init, inChannels, outChannels, 1, stride, 0));
    }

    public bool Residual { get; }

    public Conv2d Conv1 { get; }

    public Conv2d Conv2 { get; }

    /// <summary>The 1x1 projection of the shortcut, or null for the identity.</summary>
    public Conv2d? Shortcut { get; }

    public override Tensor Forward(Tensor x)
    {
        var branch = Conv2.Forward(Relu(Conv1.Forward(x), Path));
        if (!Residual) return Relu(branch, Path);
        return Relu(Add(Shortcut?.Forward(x) ?? x, branch, Path), Path);
    }
}
