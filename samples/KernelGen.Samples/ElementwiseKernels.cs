using static KernelGen.Kernel;

namespace KernelGen.Samples;

/// <summary>
/// Elementwise kernels: one invocation per element, guarded by <c>i &lt; n</c> because launches are rounded up to
/// whole workgroups. Each is plain C#: KernelGen turns it into WGSL at build time, and the CPU backend runs it as is.
/// </summary>
public static partial class ElementwiseKernels
{
    /// <summary>y = a*x + y, the "hello world" of GPU computing.</summary>
    [ComputeKernel(64)]
    public static void Saxpy(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, float a, uint n)
    {
        uint i = GlobalId.X;
        if (i < n) y[i] = a * x[i] + y[i];
    }

    /// <summary>y = max(x, 0), the rectified linear unit.</summary>
    [ComputeKernel(64)]
    public static void Relu(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint n)
    {
        uint i = GlobalId.X;
        if (i < n) y[i] = MathF.Max(x[i], 0f);
    }

    /// <summary>
    /// Integer arithmetic with int and uint scalars: C#'s truncating division and remainder on negative values,
    /// a conditional, and int/uint conversions, so parity with the CPU must be exact.
    /// </summary>
    [ComputeKernel(64)]
    public static void IntegerMix(ReadOnlyBuffer<int> x, ReadWriteBuffer<int> y, int scale, int offset, uint divisor, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        int v = x[i] * scale + offset;
        int d = (int)divisor;
        if (v < 0)
        {
            y[i] = v / d - (int)(i % 5u);
        }
        else
        {
            y[i] = v % d + (v > 100 ? 1 : 0);
        }
    }

    /// <summary>A softplus-like transcendental mix (exp, log, sqrt, min), exercising float intrinsics.</summary>
    [ComputeKernel(128)]
    public static void SmoothClamp(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, float limit, uint n)
    {
        uint i = GlobalId.X;
        if (i < n)
        {
            float v = x[i];
            float soft = MathF.Log(1f + MathF.Exp(-MathF.Abs(v))) + MathF.Max(v, 0f);
            y[i] = MathF.Min(soft, limit) + MathF.Sqrt(MathF.Abs(v)) * 0.25f;
        }
    }
}
