using static KernelGen.Kernel;

namespace KernelGen.Generator.Tests.Kernels;

/// <summary>A kernel for buffer views: what it writes shows which elements it saw and the lengths it saw.</summary>
public static partial class ViewKernels
{
    /// <summary>y[i] = a * x[i] + 1000 * x.Length + y.Length, for every element of y (the launch may be larger).</summary>
    [ComputeKernel(64)]
    public static void ScaleWithLengths(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, float a)
    {
        uint i = GlobalId.X;
        if (i < y.Length) y[i] = a * x[i] + 1000f * (float)x.Length + (float)y.Length;
    }
}
