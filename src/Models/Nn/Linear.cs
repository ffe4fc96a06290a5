using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Nn;

/// <summary>y = x Wᵀ + b: weight [out, in] (PyTorch's layout, so checkpoints load there as they are), bias [out].</summary>
public sealed class Linear : Layer
{
    public Linear(Init init, int inFeatures, int outFeatures, bool bias = true, InitScheme scheme = InitScheme.XavierUniform)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = Register("weight", init.Parameter(new Shape(outFeatures, inFeatures),
            init.Weights(scheme, outFeatures * inFeatures, inFeatures, outFeatures), "weight"));
        Bias = bias ? Register("bias", init.Parameter(new Shape(outFeatures), new float[outFeatures], "bias")) : null;
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor x) => Linear(x, Weight, Bias, Path);
}
