using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Architectures;

/// <summary>
/// The MLP's sizes: the hidden layers' widths (784-128-10 is <c>[128]</c>). <see cref="Linear"/> leaves out the ReLUs:
/// the article's demonstration that stacked affine maps are one affine map (<c>Experiments/LinearCollapse.cs</c>).
/// </summary>
public sealed record MlpConfig(int[] Hidden, bool Linear = false)
{
    public static readonly MlpConfig Default = new([128]);
}

/// <summary>
/// The multi-layer perceptron: affine maps with a ReLU between them. Without the non-linearity the layers would
/// compose into a single affine map, a perceptron again; with it the network is piecewise linear, and wide enough,
/// a universal approximator.
/// </summary>
public sealed class Mlp : ImageClassifier
{
    private readonly Linear[] layers;

    public Mlp(Init init, ImageShape input, MlpConfig config, int classes = 10) : base(input, classes)
    {
        Config = config;
        int[] widths = [input.Pixels, .. config.Hidden, classes];
        layers = new Linear[widths.Length - 1];
        for (int i = 0; i < layers.Length; i++)
        {
            bool last = i == layers.Length - 1;
            layers[i] = Register($"fc{i + 1}", new Linear(init, widths[i], widths[i + 1], scheme: last ? InitScheme.XavierUniform : InitScheme.KaimingUniform));
        }
    }

    public MlpConfig Config { get; }

    public IReadOnlyList<Linear> Layers => layers;

    public override Tensor Forward(Tensor images)
    {
        CheckInput(images);
        var x = Flatten(images, Path);
        for (int i = 0; i < layers.Length - 1; i++)
        {
            x = layers[i].Forward(x);
            if (!Config.Linear) x = Relu(x, layers[i].Path);
        }
        return layers[^1].Forward(x);
    }
}
