using KernelGen.Generator.Tests.Kernels;
using KernelGen.Samples;
using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>The kernels the snapshot, compile and parity tests cover, by name, with their source files.</summary>
internal static class SampleKernels
{
    public const string ElementwiseSource = "samples/KernelGen.Samples/ElementwiseKernels.cs";
    public const string LanguageSource = "tests/Generator/Kernels/LanguageKernels.cs";
    public const string MemorySource = "tests/Generator/Kernels/MemoryKernels.cs";
    public const string VectorSource = "tests/Generator/Kernels/VectorKernels.cs";
    public const string StructSource = "tests/Generator/Kernels/StructKernels.cs";
    public const string CompletionSource = "tests/Generator/Kernels/CompletionKernels.cs";

    public static readonly IReadOnlyDictionary<string, KernelInfo> Elementwise = new Dictionary<string, KernelInfo>
    {
        ["Saxpy"] = ElementwiseKernels.SaxpyKernel.Info,
        ["Relu"] = ElementwiseKernels.ReluKernel.Info,
        ["IntegerMix"] = ElementwiseKernels.IntegerMixKernel.Info,
        ["SmoothClamp"] = ElementwiseKernels.SmoothClampKernel.Info,
    };

    public static readonly IReadOnlyDictionary<string, KernelInfo> Language = new Dictionary<string, KernelInfo>
    {
        ["BoxFilter"] = LanguageKernels.BoxFilterKernel.Info,
        ["Collatz"] = LanguageKernels.CollatzKernel.Info,
        ["HashMix"] = LanguageKernels.HashMixKernel.Info,
        ["Conversions"] = LanguageKernels.ConversionsKernel.Info,
        ["ThreadIds"] = LanguageKernels.ThreadIdsKernel.Info,
        ["Classify"] = LanguageKernels.ClassifyKernel.Info,
        ["MovingAverage_taps3"] = LanguageKernels.MovingAverageKernel.Info_taps3,
        ["MovingAverage_taps5"] = LanguageKernels.MovingAverageKernel.Info_taps5,
        ["WorkgroupSum"] = MemoryKernels.WorkgroupSumKernel.Info,
        ["Histogram"] = MemoryKernels.HistogramKernel.Info,
        ["SortEights"] = MemoryKernels.SortEightsKernel.Info,
        ["Shade"] = VectorKernels.ShadeKernel.Info,
        ["CellHash"] = VectorKernels.CellHashKernel.Info,
        ["Integrate"] = StructKernels.IntegrateKernel.Info,
        ["RunningSums"] = VectorKernels.RunningSumsKernel.Info,
        ["FloatAtomicSum"] = CompletionKernels.FloatAtomicSumKernel.Info,
        ["ClaimSlots"] = CompletionKernels.ClaimSlotsKernel.Info,
        ["LaneLimits"] = CompletionKernels.LaneLimitsKernel.Info,
        ["MoreMath"] = CompletionKernels.MoreMathKernel.Info,
        ["ApplyTransform"] = CompletionKernels.ApplyTransformKernel.Info,
        ["MirrorMath"] = CompletionKernels.MirrorMathKernel.Info,
    };

    public static IEnumerable<KernelInfo> All => Elementwise.Values.Concat(Language.Values);

    public static TheoryData<string> Names => new(Elementwise.Keys);

    public static TheoryData<string> LanguageNames => new(Language.Keys);

    public static TheoryData<string> AllNames => new(All.Select(k => k.Name));
}
