using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Nn;

/// <summary>A 2D convolution: weight [out, in, k, k] (He-initialised by default, for the ReLUs after it), bias [out].</summary>
public sealed class Conv2d : Layer
{
    public Conv2d(Init init, int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, bool bias = true,
        InitScheme scheme = InitScheme.KaimingNormal)
    {
        Stride = stride;
        Padding = padding;
        int fanIn = inChannels * kernelSize * kernelSize, fanOut = outChannels * kernelSize * kernelSize;
        Weight = Register("weight", init.Parameter(new Shape(outChannels, inChannels, kernelSize, kernelSize),
            init.Weights(scheme, outChannels * fanIn, fanIn, fanOut), "weight"));
        Bias = bias ? Register("bias", init.Parameter(new Shape(outChannels), new float[outChannels], "bias")) : null;
    }

    public int Stride { get; }

    public int Padding { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor x) => Conv2d(x, Weight, Bias, Stride, Padding, Path);
}
