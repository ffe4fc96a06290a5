using KernelGen.Models.Kernels;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Nn;

// The layers without parameters: each a one-line Forward over a Functional operation.

public sealed class Relu : Layer
{
    public override Tensor Forward(Tensor x) => Relu(x, Path);
}

public sealed class Gelu : Layer
{
    public override Tensor Forward(Tensor x) => Gelu(x, Path);
}

public sealed class Tanh : Layer
{
    public override Tensor Forward(Tensor x) => Tanh(x, Path);
}

/// <summary>Inverted dropout with probability <see cref="P"/>, active only while the model is training.</summary>
public sealed class Dropout(float p) : Layer
{
    public float P { get; } = p is >= 0f and < 1f ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "the drop probability must be in [0, 1)");

    public override Tensor Forward(Tensor x) => IsTraining ? Dropout(x, P, Path) : x;
}

/// <summary>[batch, ...] to [batch, rest].</summary>
public sealed class Flatten : Layer
{
    public override Tensor Forward(Tensor x) => Flatten(x, Path);
}

public sealed class MaxPool2d(int size, int? stride = null) : Layer
{
    public override Tensor Forward(Tensor x) => MaxPool2d(x, size, stride, Path);
}

public sealed class AvgPool2d(int size, int? stride = null) : Layer
{
    public override Tensor Forward(Tensor x) => AvgPool2d(x, size, stride, Path);
}

/// <summary>Layer normalisation over the last axis: gain starts at 1, shift at 0.</summary>
public sealed class LayerNorm : Layer
{
    public LayerNorm(Init init, int features, float epsilon = 1e-5f)
    {
        Epsilon = epsilon;
        Gain = Register("weight", init.Parameter(new Shape(features), Init.Constant(features, 1f), "weight"));
        Shift = Register("bias", init.Parameter(new Shape(features), new float[features], "bias"));
    }

    public float Epsilon { get; }

    public Tensor Gain { get; }

    public Tensor Shift { get; }

    public override Tensor Forward(Tensor x) => LayerNorm(x, Gain, Shift, Epsilon, Path);
}

/// <summary>Layers applied in order; registered as "0", "1", ... (PyTorch's <c>nn.Sequential</c> names).</summary>
public sealed class Sequential : Layer
{
    private readonly Layer[] layers;

    public Sequential(params Layer[] layers)
    {
        this.layers = layers;
        for (int i = 0; i < layers.Length; i++) Register(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }

    public IReadOnlyList<Layer> Layers => layers;

    public override Tensor Forward(Tensor x)
    {
        foreach (var layer in layers) x = layer.Forward(x);
        return x;
    }
}
