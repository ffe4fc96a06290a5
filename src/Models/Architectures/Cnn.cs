using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Architectures;

/// <summary>
/// The CNN's sizes: channels of the two convolutions and the width of the hidden fully connected layer. With
/// <see cref="GlobalPool"/>, the head is instead a 1x1 convolution with a ReLU (a non-linear map of each position on
/// its own), the average over positions and one linear map: every feature then comes from a 16x16 window (the two
/// 5x5 convolutions and pools), so the network is local; a non-local block before the 1x1 convolution lets every
/// position's features depend on the whole image, and the ReLU after it can then combine distant parts.
/// </summary>
public sealed record CnnConfig(int Channels1 = 16, int Channels2 = 32, int Hidden = 128, bool NonLocal = false, int NonLocalInner = 16,
    bool GlobalPool = false)
{
    public static readonly CnnConfig Default = new();
}

/// <summary>
/// A LeNet-style convolutional network: conv 5x5 - ReLU - max-pool 2, twice, then two fully connected layers. A
/// convolution shares one small filter over every position (translation equivariance, few parameters); pooling
/// makes the features tolerant to small shifts. With <see cref="CnnConfig.NonLocal"/>, a non-local (self-attention)
/// block after the second stage lets every position of the 7x7 map see every other, which a 5x5 filter cannot.
/// </summary>
public sealed class Cnn : ImageClassifier
{
    public Cnn(Init init, ImageShape input, CnnConfig config, int classes = 10) : base(input, classes)
    {
        Config = config;
        Conv1 = Register("conv1", new Conv2d(init, input.Channels, config.Channels1, 5, padding: 2));
        Conv2 = Register("conv2", new Conv2d(init, config.Channels1, config.Channels2, 5, padding: 2));
        if (config.NonLocal) NonLocal = Register("nonlocal", new NonLocalBlock(init, config.Channels2, config.NonLocalInner));
        if (config.GlobalPool)
        {
            PositionWise = Register("conv3", new Conv2d(init, config.Channels2, 2 * config.Channels2, 1));
            Classifier = Register("fc", new Linear(init, 2 * config.Channels2, classes));
            return;
        }
        int features = config.Channels2 * (input.Height / 4) * (input.Width / 4);
        Hidden = Register("fc1", new Linear(init, features, config.Hidden, scheme: InitScheme.KaimingUniform));
        Classifier = Register("fc2", new Linear(init, config.Hidden, classes));
    }

    public CnnConfig Config { get; }

    public Conv2d Conv1 { get; }

    public Conv2d Conv2 { get; }

    public NonLocalBlock? NonLocal { get; }

    /// <summary>The 1x1 convolution of the global-average head (<see cref="CnnConfig.GlobalPool"/>); none otherwise.</summary>
    public Conv2d? PositionWise { get; }

    /// <summary>The hidden fully connected layer; none with <see cref="CnnConfig.GlobalPool"/>.</summary>
    public Linear? Hidden { get; }

    public Linear Classifier { get; }

    public override Tensor Forward(Tensor images)
    {
        var x = Stages(images);                                                   // [batch, c2, 7, 7]
        if (NonLocal is not null) x = NonLocal.Forward(x);
        if (PositionWise is not null)   // [batch, 2 c2]: the average over positions of a per-position non-linear map
            return Classifier.Forward(MeanOverTime(ChannelsLast(Relu(PositionWise.Forward(x), Path), Path), Path));
        return Classifier.Forward(Relu(Hidden!.Forward(Flatten(x, Path)), Path));
    }

    /// <summary>The feature maps after the first convolution and its ReLU, [batch, c1, h, w] (figures).</summary>
    public Tensor FirstFeatureMaps(Tensor images) => Relu(Conv1.Forward(images), Path);

    /// <summary>
    /// Where each position of the non-local block's map looks: [batch, positions, positions] over the (h/4) x (w/4) map,
    /// row-major (figures; no gradient). Only with <see cref="CnnConfig.NonLocal"/>.
    /// </summary>
    public Tensor NonLocalAttention(Tensor images) =>
        (NonLocal ?? throw new InvalidOperationException("This CNN has no non-local block.")).Weights(Stages(images));

    /// <summary>The two convolution stages: conv 5x5 - ReLU - max-pool 2, twice: [batch, c2, h/4, w/4].</summary>
    private Tensor Stages(Tensor images)
    {
        CheckInput(images);
        var x = MaxPool2d(Relu(Conv1.Forward(images), Path), 2, layer: Path);   // [batch, c1, 14, 14]
        return MaxPool2d(Relu(Conv2.Forward(x), Path), 2, layer: Path);         // [batch, c2, 7, 7]
    }
}
