using System.Numerics;

namespace KernelGen.Models.Kernels;

/// <summary>Which matmul kernel runs (see <see cref="MatmulKernels"/>).</summary>
public enum MatmulVariant
{
    /// <summary>Chosen by <see cref="Ops.ChooseMatmul"/> from the shape and the adapter.</summary>
    Auto,

    /// <summary><see cref="MatmulKernels.Simple"/>: one invocation per output.</summary>
    Simple,

    /// <summary><see cref="MatmulKernels.Blocked"/>: 4 x 4 outputs per invocation in an 8 x 8 workgroup.</summary>
    Blocked,

    /// <summary><see cref="MatmulKernels.RowBlocked"/>: 8 x 4 outputs per invocation, rows uniform per workgroup.</summary>
    RowBlocked,

    /// <summary><see cref="MatmulKernels.Tiled"/>: 16 x 16 tiles in workgroup memory.</summary>
    Tiled,
}

/// <summary>Where a matmul's bias goes.</summary>
public enum BiasMode : uint
{
    None = 0,

    /// <summary>bias[j] added to column j (a linear layer, y = x W + b).</summary>
    PerColumn = 1,

    /// <summary>bias[i] added to row i (a convolution's output channels as rows).</summary>
    PerRow = 2,
}

/// <summary>Everything about a matmul beyond the operands and M, N, K. The default is a plain C = A·B.</summary>
public sealed record MatmulOptions
{
    public static readonly MatmulOptions Default = new();

    /// <summary>A is stored K x M and used transposed.</summary>
    public bool TransposeA { get; init; }

    /// <summary>B is stored N x K and used transposed.</summary>
    public bool TransposeB { get; init; }

    /// <summary>Number of independent products (C is batch x M x N).</summary>
    public int Batch { get; init; } = 1;

    /// <summary>Elements between consecutive A matrices; null = M*K (packed), 0 = the same A for every batch.</summary>
    public int? BatchStrideA { get; init; }

    /// <summary>Elements between consecutive B matrices; null = K*N (packed), 0 = the same B for every batch.</summary>
    public int? BatchStrideB { get; init; }

    /// <summary>The bias (a buffer, or a view of part of one), or null for none.</summary>
    public GpuBufferView<float>? Bias { get => bias; init => bias = Ops.Present(value); }

    private readonly GpuBufferView<float>? bias;

    /// <summary>Per column (default when <see cref="Bias"/> is set) or per row.</summary>
    public BiasMode BiasMode { get; init; } = BiasMode.PerColumn;

    /// <summary>An <see cref="Activation"/> constant applied after the bias.</summary>
    public uint Activation { get; init; } = Kernels.Activation.None;

    /// <summary>Scales the product before the bias.</summary>
    public float Alpha { get; init; } = 1f;

    /// <summary>C = act(...) + Beta * C; 0 (default) overwrites C without reading it, 1 accumulates (gradients).</summary>
    public float Beta { get; init; }

    public MatmulVariant Variant { get; init; } = MatmulVariant.Auto;
}

public static partial class Ops
{
    /// <summary>
    /// C = act(alpha * op(A)·op(B) + bias) + beta * C, batched (see <see cref="MatmulKernels"/> for the layout and
    /// <see cref="MatmulOptions"/> for the rest). op(A) is M x K and op(B) is K x N.
    /// </summary>
    public static void Matmul(ComputeDevice device, GpuBufferView<float> a, GpuBufferView<float> b, GpuBufferView<float> c,
        int m, int n, int k, MatmulOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        options ??= MatmulOptions.Default;
        uint um = Positive(m, nameof(m)), un = Positive(n, nameof(n)), uk = Positive(k, nameof(k));
        uint batch = Positive(options.Batch, nameof(options.Batch));
        long strideA = options.BatchStrideA ?? (long)m * k, strideB = options.BatchStrideB ?? (long)k * n;
        if (strideA < 0 || strideB < 0) throw new ArgumentOutOfRangeException(nameof(options), "batch strides cannot be negative");
        Require(a, strideA * (batch - 1) + (long)m * k, nameof(a));
        Require(b, strideB * (batch - 1) + (long)k * n, nameof(b));
        Require(c, (long)batch * m * n, nameof(c));
        if ((long)batch * m * n > uint.MaxValue || strideA * batch + (long)m * k > uint.MaxValue || strideB * batch + (long)k * n > uint.MaxValue)
            throw new ArgumentException("The operands exceed 2^32 elements, which 32-bit kernel indices cannot address.");
        var biasMode = options.Bias is null ? BiasMode.None : options.BiasMode;
        if (biasMode == BiasMode.PerColumn) Require(options.Bias!.Value, n, "bias");
        if (biasMode == BiasMode.PerRow) Require(options.Bias!.Value, m, "bias");
        GpuBufferView<float> bias = options.Bias ?? Placeholder(device);
        Distinct(c, nameof(c), (a, nameof(a)), (b, nameof(b)), (options.Bias, "bias"));

        // Element (i, p) of op(A) is at i * aRow + p * aCol; element (p, j) of op(B) at p * bRow + j * bCol.
        uint aRow = options.TransposeA ? 1u : uk, aCol = options.TransposeA ? um : 1u;
        uint bRow = options.TransposeB ? 1u : un, bCol = options.TransposeB ? uk : 1u;
        var variant = options.Variant == MatmulVariant.Auto ? ChooseMatmul(device, m, n, k, options.Batch) : options.Variant;
        uint sa = (uint)strideA, sb = (uint)strideB, mode = (uint)biasMode;
        switch (variant)
        {
            case MatmulVariant.Simple:
                MatmulKernels.SimpleKernel.Dispatch(device, new Grid(un, um, batch), a, b, bias, c,
                    um, un, uk, aRow, aCol, sa, bRow, bCol, sb, options.Alpha, options.Beta, mode, options.Activation);
                break;
            case MatmulVariant.Blocked:
                MatmulKernels.BlockedKernel.Dispatch(device, new Grid(8 * Ceiling(un, 32), Ceiling(um, MatmulKernels.BlockRows), batch), a, b, bias, c,
                    um, un, uk, aRow, aCol, sa, bRow, bCol, sb, options.Alpha, options.Beta, mode, options.Activation);
                break;
            case MatmulVariant.RowBlocked:
                MatmulKernels.RowBlockedKernel.Dispatch(device,
                    new Grid(MatmulKernels.RowBlockedWidth * Ceiling(un, MatmulKernels.RowBlockedWidth * MatmulKernels.BlockColumns),
                        Ceiling(um, MatmulKernels.RowBlockRows), batch), a, b, bias, c,
                    um, un, uk, aRow, aCol, sa, bRow, bCol, sb, options.Alpha, options.Beta, mode, options.Activation);
                break;
            case MatmulVariant.Tiled:
                MatmulKernels.TiledKernel.Dispatch(device, new Grid(un, um, batch), a, b, bias, c,
                    um, un, uk, aRow, aCol, sa, bRow, bCol, sb, options.Alpha, options.Beta, mode, options.Activation);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), variant, "unknown matmul variant");
        }
    }

    /// <summary>
    /// C = act(alpha * A·B + bias[column]) for packed row-major matrices held in <see cref="Vector4"/> buffers (4
    /// consecutive floats per element), with K and N multiples of 4: the vec4-load kernel
    /// <see cref="MatmulKernels.BlockedVec4"/>. A is M x K (M*K/4 elements), B K x N, C M x N, bias N/4 (optional).
    /// </summary>
    public static void MatmulVec4(ComputeDevice device, GpuBufferView<Vector4> a, GpuBufferView<Vector4> b, GpuBufferView<Vector4> c, int m, int n, int k,
        GpuBufferView<Vector4>? bias = null, float alpha = 1f, uint activation = Activation.None)
    {
        ArgumentNullException.ThrowIfNull(device);
        uint um = Positive(m, nameof(m)), un = Positive(n, nameof(n)), uk = Positive(k, nameof(k));
        if (n % 4 != 0 || k % 4 != 0) throw new ArgumentException($"MatmulVec4 needs N and K multiples of 4 (got N = {n}, K = {k}).");
        Require(a, (long)m * k / 4, nameof(a));
        Require(b, (long)k * n / 4, nameof(b));
        Require(c, (long)m * n / 4, nameof(c));
        bias = Present(bias);
        if (bias is not null) Require(bias.Value, n / 4, nameof(bias));
        Distinct(c, nameof(c), (a, nameof(a)), (b, nameof(b)), (bias, nameof(bias)));
        GpuBufferView<Vector4> biasBuffer = bias ?? Vec4Placeholders.GetValue(device, static d => d.CreateBuffer<Vector4>(1));
        MatmulKernels.BlockedVec4Kernel.Dispatch(device, new Grid(un / 4, Ceiling(um, 4)), a, b, biasBuffer, c, um, un, uk, alpha, bias is not null, activation);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ComputeDevice, GpuBuffer<Vector4>> Vec4Placeholders = new();

    /// <summary>
    /// The matmul variant for a shape on a device. Tiny products (fewer than 1024 outputs per batch): one invocation
    /// per output, whatever the device. On a GPU: shared-memory tiles. On lavapipe and on the CPU backend, where
    /// barriers are expensive: register blocking. On lavapipe with the rows uniform per workgroup when N fills the 256
    /// columns of its workgroup (uniform loads it broadcasts), else in 32 x 32 blocks; on the CPU backend always in
    /// 32 x 32 blocks, where row-uniform blocks measured 2.8-4x slower (64x128 @ 128x784: 3.0 ms against 8.5-12.8 ms).
    /// </summary>
    public static MatmulVariant ChooseMatmul(ComputeDevice device, int m, int n, int k, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(device);
        if ((long)m * n < 1024 || k < 4) return MatmulVariant.Simple;
        bool gpu = device.Backend == Backend.WebGpu && !IsSoftwareAdapter(device);
        if (gpu) return MatmulVariant.Tiled;
        if (device.Backend == Backend.Cpu) return MatmulVariant.Blocked;
        return n >= 192 ? MatmulVariant.RowBlocked : MatmulVariant.Blocked;
    }

    internal static uint Ceiling(uint value, int divisor) => (uint)((value + (ulong)divisor - 1) / (ulong)divisor);
}
