using KernelGen.Models.Kernels;
using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>The kernels the snapshot, compile and parity tests cover, by name, with their source file.</summary>
internal static class SampleKernels
{
    public const string ElementwiseSource = "src/Models/Kernels/ElementwiseKernels.cs";

    public static readonly IReadOnlyDictionary<string, KernelInfo> Elementwise = new Dictionary<string, KernelInfo>
    {
        ["Saxpy"] = ElementwiseKernels.SaxpyKernel.Info,
        ["Relu"] = ElementwiseKernels.ReluKernel.Info,
        ["IntegerMix"] = ElementwiseKernels.IntegerMixKernel.Info,
        ["SmoothClamp"] = ElementwiseKernels.SmoothClampKernel.Info,
    };

    public static TheoryData<string> Names => new(Elementwise.Keys);
}
