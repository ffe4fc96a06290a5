using KernelGen.Models.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>
/// Every matmul variant against a float64 host product on awkward shapes (1, primes, not a multiple of any tile, one
/// past a workgroup's 256 columns), with each combination of transposes; batches, broadcasting, the epilogue; and
/// WebGPU against the CPU backend.
/// </summary>
public class MatmulTests
{
    // Shapes and the transposes tried on each: all four combinations on the primes and the non-multiple of a tile.
    private static readonly (int M, int N, int K, bool AllTransposes)[] Shapes =
        [(1, 1, 1, false), (7, 13, 5, true), (65, 33, 17, true), (16, 16, 16, false), (3, 257, 9, false)];

    // Barrier kernels run one thread per invocation on the CPU backend: the tiled variant gets small shapes only.
    private static readonly (int M, int N, int K, bool AllTransposes)[] TiledShapes = [(1, 1, 1, false), (7, 13, 5, true), (17, 19, 18, false)];

    public static TheoryData<MatmulVariant, int, int, int, bool, bool> Cases()
    {
        var data = new TheoryData<MatmulVariant, int, int, int, bool, bool>();
        foreach (var variant in new[] { MatmulVariant.Simple, MatmulVariant.Blocked, MatmulVariant.RowBlocked, MatmulVariant.Tiled })
            foreach (var (m, n, k, all) in variant == MatmulVariant.Tiled ? TiledShapes : Shapes)
            {
                data.Add(variant, m, n, k, false, false);
                data.Add(variant, m, n, k, true, true);
                if (!all) continue;
                data.Add(variant, m, n, k, true, false);
                data.Add(variant, m, n, k, false, true);
            }
        return data;
    }

    internal static float[] Run(ComputeDevice device, float[] a, float[] b, int m, int n, int k, MatmulOptions options,
        float[]? bias = null, float[]? cOld = null)
    {
        int batch = options.Batch;
        using var ab = device.CreateBuffer<float>(a);
        using var bb = device.CreateBuffer<float>(b);
        using var cb = cOld is null ? device.CreateBuffer<float>(batch * m * n) : device.CreateBuffer<float>(cOld);
        using var biasBuffer = bias is null ? null : device.CreateBuffer<float>(bias);
        Ops.Matmul(device, ab, bb, cb, m, n, k, options with { Bias = biasBuffer });
        return cb.Read();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cpu_backend_matches_float64(MatmulVariant variant, int m, int n, int k, bool transposeA, bool transposeB)
    {
        float[] a = Floats(1, m * k), b = Floats(2, k * n);
        var options = new MatmulOptions { Variant = variant, TransposeA = transposeA, TransposeB = transposeB };
        var expected = Reference.Matmul(a, b, m, n, k, transposeA, transposeB);
        Close(expected, Run(CpuOracle, a, b, m, n, k, options), 1e-5, $"{variant} {m}x{n}x{k} tA={transposeA} tB={transposeB}");
    }

    [WebGpuTheory]
    [MemberData(nameof(Cases))]
    public void WebGpu_matches_cpu_backend_and_float64(MatmulVariant variant, int m, int n, int k, bool transposeA, bool transposeB)
    {
        float[] a = Floats(3, m * k), b = Floats(4, k * n);
        var options = new MatmulOptions { Variant = variant, TransposeA = transposeA, TransposeB = transposeB };
        var gpu = Run(GpuDevice, a, b, m, n, k, options);
        string what = $"{variant} {m}x{n}x{k} tA={transposeA} tB={transposeB}";
        Close(Reference.Matmul(a, b, m, n, k, transposeA, transposeB), gpu, 1e-5, what);
        Close(Run(CpuOracle, a, b, m, n, k, options), gpu, 1e-5, what + " vs CPU backend");
    }

    public static TheoryData<MatmulVariant> Variants => new() { MatmulVariant.Simple, MatmulVariant.Blocked, MatmulVariant.RowBlocked, MatmulVariant.Tiled };

    /// <summary>
    /// Batched with the same B for every batch (a linear layer over a batch of sequences), bias per column, GELU,
    /// alpha, and beta = 1 accumulating into C; then per-row bias with ReLU and a transposed, batched A.
    /// </summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public void Epilogue_batches_and_broadcasts(MatmulVariant variant)
    {
        foreach (var device in Devices())
        {
            const int batch = 3, m = 5, n = 11, k = 7;
            float[] a = Floats(5, batch * m * k, -2, 2), b = Floats(6, k * n, -2, 2), bias = Floats(7, n), cOld = Floats(8, batch * m * n);
            var options = new MatmulOptions
            {
                Variant = variant, Batch = batch, BatchStrideB = 0, BiasMode = BiasMode.PerColumn, Activation = Activation.Gelu,
                Alpha = 0.5f, Beta = 1f,
            };
            var expected = Reference.Matmul(a, b, m, n, k, batch: batch, strideB: 0, bias: bias, biasMode: 1, activation: 2,
                alpha: 0.5, beta: 1, cOld: cOld);
            Close(expected, Run(device, a, b, m, n, k, options, bias, cOld), 2e-5, $"{variant} GELU epilogue on {device.Backend}");

            float[] rowBias = Floats(9, m);
            var relu = new MatmulOptions { Variant = variant, Batch = batch, TransposeA = true, BiasMode = BiasMode.PerRow, Activation = Activation.Relu };
            var expectedRelu = Reference.Matmul(a, Floats(10, batch * k * n), m, n, k, transposeA: true, batch: batch, bias: rowBias, biasMode: 2, activation: 1);
            Close(expectedRelu, Run(device, a, Floats(10, batch * k * n), m, n, k, relu, rowBias), 1e-5, $"{variant} ReLU epilogue on {device.Backend}");
        }
    }

    /// <summary>beta = 0 must overwrite C without reading it, even when C holds NaN.</summary>
    [Fact]
    public void Beta_zero_ignores_nan_in_the_output()
    {
        float[] a = Floats(11, 6), b = Floats(12, 6), cOld = Enumerable.Repeat(float.NaN, 4).ToArray();
        foreach (var variant in new[] { MatmulVariant.Simple, MatmulVariant.Blocked, MatmulVariant.RowBlocked })
            Finite(Run(CpuOracle, a, b, 2, 2, 3, new MatmulOptions { Variant = variant }, cOld: cOld), variant.ToString());
    }

    [Fact]
    public void Chooser_picks_by_shape_and_adapter()
    {
        Assert.Equal(MatmulVariant.Simple, Ops.ChooseMatmul(CpuOracle, 1, 10, 64));
        Assert.Equal(MatmulVariant.Simple, Ops.ChooseMatmul(CpuOracle, 64, 64, 2));
        Assert.Equal(MatmulVariant.Blocked, Ops.ChooseMatmul(CpuOracle, 256, 64, 64));
        // The CPU backend: 32 x 32 blocks at every width (row-uniform blocks measured 2.8-4x slower there).
        Assert.Equal(MatmulVariant.Blocked, Ops.ChooseMatmul(CpuOracle, 256, 256, 256));
        Assert.Equal(MatmulVariant.Blocked, Ops.ChooseMatmul(CpuOracle, 64, 784, 128));
    }

    [WebGpuFact]
    public void Chooser_keeps_row_uniform_blocks_for_wide_products_on_lavapipe()
    {
        if (!Ops.IsSoftwareAdapter(GpuDevice))
        {
            Assert.Equal(MatmulVariant.Tiled, Ops.ChooseMatmul(GpuDevice, 64, 784, 128));
            return;
        }
        Assert.Equal(MatmulVariant.RowBlocked, Ops.ChooseMatmul(GpuDevice, 64, 784, 128));
        Assert.Equal(MatmulVariant.Blocked, Ops.ChooseMatmul(GpuDevice, 64, 128, 784));
    }

    [Fact]
    public void Shapes_are_checked_before_dispatch()
    {
        using var a = CpuOracle.CreateBuffer<float>(6);
        using var b = CpuOracle.CreateBuffer<float>(6);
        using var c = CpuOracle.CreateBuffer<float>(3);
        var error = Assert.Throws<ArgumentException>(() => Ops.Matmul(CpuOracle, a, b, c, 2, 2, 3));
        Assert.Contains("c has 3 elements", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Matmul(CpuOracle, a, b, c, 0, 2, 3));
    }
}

/// <summary>The vec4-load variant on Vector4 buffers (packed rows, K and N multiples of 4).</summary>
public class MatmulVec4Tests
{
    private static System.Numerics.Vector4[] Pack(float[] x) =>
        Enumerable.Range(0, x.Length / 4).Select(i => new System.Numerics.Vector4(x[4 * i], x[4 * i + 1], x[4 * i + 2], x[4 * i + 3])).ToArray();

    private static float[] Unpack(System.Numerics.Vector4[] v) => v.SelectMany(e => new[] { e.X, e.Y, e.Z, e.W }).ToArray();

    [Theory]
    [InlineData(1, 4, 4)]
    [InlineData(7, 12, 8)]
    [InlineData(65, 36, 20)]
    public void Matches_float64_with_bias_and_activation(int m, int n, int k)
    {
        float[] a = Floats(1, m * k), b = Floats(2, k * n), bias = Floats(3, n);
        var expected = Reference.Matmul(a, b, m, n, k, bias: bias, biasMode: 1, activation: Activation.Gelu, alpha: 0.5);
        float[]? cpu = null;
        foreach (var device in Devices())
        {
            using var ab = device.CreateBuffer(Pack(a));
            using var bb = device.CreateBuffer(Pack(b));
            using var biasBuffer = device.CreateBuffer(Pack(bias));
            using var cb = device.CreateBuffer<System.Numerics.Vector4>(m * n / 4);
            Ops.MatmulVec4(device, ab, bb, cb, m, n, k, biasBuffer, 0.5f, Activation.Gelu);
            var result = Unpack(cb.Read());
            Close(expected, result, 2e-5, $"vec4 {m}x{n}x{k} on {device.Backend}");
            if (cpu is null) cpu = result;
            else Close(cpu, result, 1e-5, $"vec4 {m}x{n}x{k} WebGPU vs CPU");
        }
    }

    [Fact]
    public void Refuses_sizes_that_are_not_multiples_of_4()
    {
        using var a = CpuOracle.CreateBuffer<System.Numerics.Vector4>(4);
        var error = Assert.Throws<ArgumentException>(() => Ops.MatmulVec4(CpuOracle, a, a, a, 2, 6, 4));
        Assert.Contains("multiples of 4", error.Message);
    }
}
