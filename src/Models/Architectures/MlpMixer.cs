using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Architectures;

/// <summary>The Mixer's sizes: 4x4 patches (49 tokens), <see cref="Width"/> channels, and the two MLPs' hidden widths.</summary>
public sealed record MixerConfig(int Patch = 4, int Width = 64, int Layers = 4, int TokenHidden = 64, int ChannelHidden = 128)
{
    public static readonly MixerConfig Default = new();
}

/// <summary>
/// MLP-Mixer (Tolstikhin et al. 2021): the ViT's patches and residual pre-norm blocks, with the attention replaced by
/// an MLP across the patches. Its mixing weights are learned but fixed, the same for every image, where attention
/// computes them from the image itself: the comparison that asks how much of a Transformer's power is attention.
/// </summary>
public sealed class MlpMixer : ImageClassifier
{
    private readonly MixerBlock[] blocks;

    public MlpMixer(Init init, ImageShape input, MixerConfig config, int classes = 10) : base(input, classes)
    {
        Config = config;
        int tokens = input.Height / config.Patch * (input.Width / config.Patch);
        PatchEmbedding = Register("patch_embedding", new Conv2d(init, input.Channels, config.Width, config.Patch, config.Patch,
            scheme: InitScheme.XavierUniform));
        blocks = new MixerBlock[config.Layers];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = Register($"blocks.{i}", new MixerBlock(init, tokens, config.Width, config.TokenHidden, config.ChannelHidden));
        Norm = Register("norm", new LayerNorm(init, config.Width));
        Classifier = Register("classifier", new Linear(init, config.Width, classes));
    }

    public MixerConfig Config { get; }

    public Conv2d PatchEmbedding { get; }

    public IReadOnlyList<MixerBlock> Blocks => blocks;

    public LayerNorm Norm { get; }

    public Linear Classifier { get; }

    public override Tensor Forward(Tensor images)
    {
        CheckInput(images);
        var x = ChannelsLast(PatchEmbedding.Forward(images), Path);   // [batch, tokens, width]
        foreach (var block in blocks) x = block.Forward(x);
        return Classifier.Forward(MeanOverTime(Norm.Forward(x), Path));
    }
}
