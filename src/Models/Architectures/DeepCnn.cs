using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Architectures;

/// <summary>
/// The deep network's sizes: <see cref="BlocksPerStage"/> blocks of two 3x3 convolutions in each of three stages
/// (widths w, 2w, 4w at full, half and quarter resolution), so the depth is 6 n + 2 weighted layers: n = 3 is
/// the 20-layer network of He et al.'s CIFAR experiments.
/// </summary>
public sealed record DeepCnnConfig(int BlocksPerStage = 3, int Width = 16, bool Residual = true)
{
    public int Depth => 6 * BlocksPerStage + 2;
}

/// <summary>
/// A deep convolutional network, with residual connections or without (the "plain" network of the same depth).
/// Stacking layers multiplies the gradient by each layer's Jacobian on its way back; without a shortcut the product
/// shrinks (or grows) geometrically with depth, and the first layers barely learn. A residual block computes
/// x + F(x), so the gradient always has the identity path back. <see cref="Blocks"/> exposes each block so the
/// training loop can record per-layer gradient norms, the article's evidence for this.
/// </summary>
public sealed class DeepCnn : ImageClassifier
{
    private readonly ResidualBlock[] blocks;

    public DeepCnn(Init init, ImageShape input, DeepCnnConfig config, int classes = 10) : base(input, classes)
    {
        Config = config;
        int w = config.Width;
        Stem = Register("stem", new Conv2d(init, input.Channels, w, 3, padding: 1));
        var list = new List<ResidualBlock>();
        int channels = w;
        for (int stage = 0; stage < 3; stage++)
        {
            int width = w << stage;
            for (int b = 0; b < config.BlocksPerStage; b++)
            {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                list.Add(Register($"stage{stage + 1}.{b}", new ResidualBlock(init, channels, width, stride, config.Residual)));
                channels = width;
            }
        }
        blocks = [.. list];
        Classifier = Register("classifier", new Linear(init, channels, classes));
    }

    public DeepCnnConfig Config { get; }

    public Conv2d Stem { get; }

    public IReadOnlyList<ResidualBlock> Blocks => blocks;

    public Linear Classifier { get; }

    public override Tensor Forward(Tensor images)
    {
        CheckInput(images);
        var x = Relu(Stem.Forward(images), Path);
        foreach (var block in blocks) x = block.Forward(x);
        // Global average pooling: one value per channel, whatever the resolution left (the mean over every position,
        // so a non-square map pools to one value too).
        return Classifier.Forward(MeanOverTime(ChannelsLast(x, Path), Path));
    }
}
