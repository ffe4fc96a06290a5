using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// Elementwise kernels of the network library: binary operations with broadcasting, activations and their
/// gradients, scaling, and dropout with a counter-based random number generator. Each invocation handles
/// <see cref="PerInvocation"/> elements strided by the launch width (neighbouring lanes touch neighbouring elements):
/// element <c>(GlobalId.Y * PerInvocation + e) * rowWidth + GlobalId.X</c> for e = 0..7, launched by
/// <see cref="Ops.ElementGrid"/>. On lavapipe that is 2-4x faster than one element per invocation (the
/// per-invocation overhead dominates a copy), and the 2D launch keeps tensors of any size within 65535 workgroups
/// per axis.
/// </summary>
/// <remarks>
/// Broadcasting: the second operand y is indexed by <c>(i / yInner) % yCount</c>. With yInner = 1 and yCount = n it
/// is an ordinary elementwise operation; yInner = 1, yCount = columns adds a row vector to every row (a bias);
/// yInner = H*W, yCount = C adds one value per channel of an NCHW tensor; yCount = 1 broadcasts a single value.
/// </remarks>
public static partial class PointwiseKernels
{
    /// <summary>Invocations per workgroup of the elementwise kernels.</summary>
    public const int GroupSize = 256;

    /// <summary>Elements each invocation of an elementwise kernel handles.</summary>
    public const int PerInvocation = 8;

    /// <summary>out = x + y.</summary>
    public const uint OpAdd = 0;

    /// <summary>out = x - y.</summary>
    public const uint OpSub = 1;

    /// <summary>out = x * y.</summary>
    public const uint OpMul = 2;

    /// <summary>out = x / y.</summary>
    public const uint OpDiv = 3;

    /// <summary>out[i] = x[i] op y[(i / yInner) % yCount]; <c>op</c> is one of the <c>Op*</c> constants.</summary>
    [ComputeKernel(GroupSize)]
    public static void Binary(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> y, ReadWriteBuffer<float> output,
        uint n, uint rowWidth, uint yInner, uint yCount, uint op)
    {
        if (GlobalId.X >= rowWidth) return;
        uint first = GlobalId.Y * PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            float a = x[i];
            // Integer division has no SIMD instruction on a CPU (lavapipe does it lane by lane): skip it when y has
            // x's shape. The condition is uniform, so this branch costs nothing.
            uint j = i;
            if (yInner != 1u || yCount != n) j = (i / yInner) % yCount;
            float b = y[j];
            float r;
            if (op == OpAdd) r = a + b;
            else if (op == OpSub) r = a - b;
            else if (op == OpMul) r = a * b;
            else r = a / b;
            output[i] = r;
        }
    }

    /// <summary>
    /// The gradient of a broadcast operand: out[j] = beta * out[j] + sum over every i with (i / yInner) % yCount == j
    /// of dy[i] (times x[i] when <paramref name="multiplyByX"/>, the gradient of y in x * y). One invocation per j,
    /// summing in index order: deterministic. Launch yCount.
    /// </summary>
    [ComputeKernel(64)]
    public static void ReduceToBroadcast(ReadOnlyBuffer<float> dy, ReadOnlyBuffer<float> x, ReadWriteBuffer<float> output,
        uint n, uint yInner, uint yCount, bool multiplyByX, float beta)
    {
        uint j = GlobalId.X;
        if (j >= yCount) return;
        uint period = yInner * yCount;
        float sum = 0f;
        for (uint start = j * yInner; start < n; start += period)
        {
            uint end = Math.Min(start + yInner, n);
            for (uint i = start; i < end; i++)
            {
                if (multiplyByX) sum += dy[i] * x[i];
                else sum += dy[i];
            }
        }
        output[j] = beta != 0f ? beta * output[j] + sum : sum;
    }

    /// <summary>y = alpha * x + beta * y (beta = 0 writes y without reading it).</summary>
    [ComputeKernel(GroupSize)]
    public static void Axpby(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, float alpha, float beta, uint n, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
        uint first = GlobalId.Y * PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            float value = alpha * x[i];
            if (beta != 0f) value += beta * y[i];
            y[i] = value;
        }
    }

    /// <summary>y = f(x) for an activation kind (an <see cref="Kernels.Activation"/> constant).</summary>
    [ComputeKernel(GroupSize)]
    public static void Activate(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint n, uint rowWidth, uint kind)
    {
        if (GlobalId.X >= rowWidth) return;
        uint first = GlobalId.Y * PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            y[i] = Activation.Apply(x[i], kind);
        }
    }

    /// <summary>dx = f'(x) * dy, from the activation's input x (beta = 1 adds to dx: gradient accumulation).</summary>
    [ComputeKernel(GroupSize)]
    public static void ActivationBackward(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> dy, ReadWriteBuffer<float> dx,
        uint n, uint rowWidth, uint kind, float beta)
    {
        if (GlobalId.X >= rowWidth) return;
        uint first = GlobalId.Y * PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            float value = Activation.Derivative(x[i], kind) * dy[i];
            if (beta != 0f) value += beta * dx[i];
            dx[i] = value;
        }
    }

    /// <summary>
    /// dx = f'(x) * dy from the activation's output y = f(x) (<see cref="Activation.DerivativeFromOutput"/>: ReLU,
    /// tanh, sigmoid, identity), for a layer whose activation ran fused in a matmul epilogue; beta = 1 adds to dx.
    /// </summary>
    [ComputeKernel(GroupSize)]
    public static void ActivationBackwardFromOutput(ReadOnlyBuffer<float> y, ReadOnlyBuffer<float> dy, ReadWriteBuffer<float> dx,
        uint n, uint rowWidth, uint kind, float beta)
    {
        if (GlobalId.X >= rowWidth) return;
        uint first = GlobalId.Y * PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            float value = Activation.DerivativeFromOutput(y[i], kind) * dy[i];
            if (beta != 0f) value += beta * dx[i];
            dx[i] = value;
        }
    }

    /// <summary>x *= scale[0] (a factor computed on the device, such as <see cref="OptimizerKernels.ClipScale"/>'s).</summary>
    [ComputeKernel(GroupSize)]
    public static void ScaleInPlace(ReadWriteBuffer<float> x, ReadOnlyBuffer<float> scale, uint n, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
        float s = scale[0];
        uint first = GlobalId.Y * PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            x[i] = x[i] * s;
        }
    }

    /// <summary>
    /// Inverted dropout: y = x / (1 - p) where the element survives, else 0. Element i survives when the uniform
    /// number <see cref="Uniform"/>(seed, i) is at least p, so the mask is a pure function of (seed, i): nothing is
    /// stored, and the backward pass is this same kernel applied to dy with the same seed.
    /// </summary>
    [ComputeKernel(GroupSize)]
    public static void Dropout(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint seed, float p, uint n, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
        uint first = GlobalId.Y * PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            float keep = Uniform(seed, i) >= p ? 1f / (1f - p) : 0f;
            y[i] = x[i] * keep;
        }
    }

    /// <summary>
    /// A counter-based random number: the 32-bit hash of (seed, index) mapped to [0, 1) with 24 bits. Two rounds of
    /// the "lowbias32" integer hash (Wellons), the first on the seed, the second on the index mixed with it, in
    /// wrapping uint arithmetic that C# and WGSL compute identically.
    /// </summary>
    public static float Uniform(uint seed, uint index)
    {
        uint h = Hash(index ^ Hash(seed + 0x9E3779B9u));
        return (h >> 8) * (1f / 16777216f);
    }

    /// <summary>lowbias32: a 32-bit integer hash with good avalanche.</summary>
    public static uint Hash(uint value)
    {
        uint x = value;
        x ^= x >> 16;
        x *= 0x7FEB352Du;
        x ^= x >> 15;
        x *= 0x846CA68Bu;
        x ^= x >> 16;
        return x;
    }
}
