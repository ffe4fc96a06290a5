using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using KernelGen.Models.Kernels;

namespace KernelGen.KernelBenchmarks;

/// <summary>
/// Square matmuls C = A·B (N = 256, 512, 1024): each C#-written variant on WebGPU (lavapipe here), the hand-written
/// WGSL yardstick (4x4 register blocks, vec4 loads; the baseline), the same algorithm written in C#
/// (<see cref="MatmulKernels.BlockedVec4"/>), and the CPU's C# Vector&lt;float&gt; + Parallel.For. One operation =
/// one dispatch and a wait for it.
/// </summary>
[Config(typeof(Settings))]
public class MatmulBenchmarks
{
    private sealed class Settings : ManualConfig
    {
        public Settings()
        {
            AddColumn(new RateColumn("GFLOP/s", "2 N^3 flops per mean time", c => 2.0 * Math.Pow(RateColumn.Param<int>(c, nameof(N)), 3)));
            HideColumns("Error", "StdDev", "Median", "RatioSD");
        }
    }

    [Params(256, 512, 1024)]
    public int N { get; set; }

    private ComputeDevice device = null!;
    private GpuBuffer<float> a = null!, b = null!, c = null!;
    private GpuBuffer<Vector4> a4 = null!, b4 = null!, c4 = null!, bias4 = null!;
    private float[] ha = null!, hb = null!, hc = null!;

    [GlobalSetup]
    public void Setup()
    {
        device = ComputeDevice.OpenWebGpu();
        var random = new Random(1);
        ha = Enumerable.Range(0, N * N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        hb = Enumerable.Range(0, N * N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        hc = new float[N * N];
        a = device.CreateBuffer<float>(ha);
        b = device.CreateBuffer<float>(hb);
        c = device.CreateBuffer<float>(N * N);
        a4 = device.CreateBuffer<Vector4>(Vec4(ha));
        b4 = device.CreateBuffer<Vector4>(Vec4(hb));
        c4 = device.CreateBuffer<Vector4>(N * N / 4);
        bias4 = device.CreateBuffer<Vector4>(1);
    }

    [GlobalCleanup]
    public void Cleanup() => device.Dispose();

    private void Run(MatmulVariant variant)
    {
        Ops.Matmul(device, a, b, c, N, N, N, new MatmulOptions { Variant = variant });
        device.Synchronize();
    }

    [Benchmark(Baseline = true, Description = "hand-written WGSL (vec4, 4x4)")]
    public void HandWrittenWgsl()
    {
        HandWrittenMatmul.Dispatch(device, a4, b4, c4, N, N, N);
        device.Synchronize();
    }

    [Benchmark(Description = "C# BlockedVec4 (vec4, 4x4)")]
    public void BlockedVec4()
    {
        Ops.MatmulVec4(device, a4, b4, c4, N, N, N);
        device.Synchronize();
    }

    [Benchmark(Description = "C# RowBlocked (8x4, uniform rows)")]
    public void RowBlocked() => Run(MatmulVariant.RowBlocked);

    [Benchmark(Description = "C# Blocked (4x4)")]
    public void Blocked() => Run(MatmulVariant.Blocked);

    [Benchmark(Description = "C# Tiled (16x16 shared)")]
    public void Tiled() => Run(MatmulVariant.Tiled);

    [Benchmark(Description = "C# Simple (1 per output)")]
    public void Simple() => Run(MatmulVariant.Simple);

    [Benchmark(Description = "CPU: C# Vector<float> + Parallel.For")]
    public void CpuVector() => CpuMatmul.Multiply(ha, hb, hc, N, N, N);

    internal static Vector4[] Vec4(float[] x)
    {
        var v = new Vector4[x.Length / 4];
        for (int i = 0; i < v.Length; i++) v[i] = new Vector4(x[4 * i], x[4 * i + 1], x[4 * i + 2], x[4 * i + 3]);
        return v;
    }
}

/// <summary>
/// Matmuls of the shapes the article's models use (M x N x K), with the chooser's pick (Auto) against each
/// register-blocked variant and the vec4 one where K and N allow.
/// </summary>
[Config(typeof(Settings))]
public class ModelShapeMatmulBenchmarks
{
    private sealed class Settings : ManualConfig
    {
        public Settings()
        {
            AddColumn(new RateColumn("GFLOP/s", "2 M N K flops per mean time", c =>
            {
                var (m, n, k) = Parse(RateColumn.Param<string>(c, nameof(Shape)));
                return 2.0 * m * n * k;
            }));
            HideColumns("Error", "StdDev", "Median", "RatioSD");
        }
    }

    /// <summary>MLP on MNIST (batch 64, 784 -> 128), a transformer block's QKV projection and FFN (512 tokens, width 128), its backward dW.</summary>
    [Params("64x128x784", "512x384x128", "512x512x128", "128x512x512")]
    public string Shape { get; set; } = "";

    private ComputeDevice device = null!;
    private GpuBuffer<float> a = null!, b = null!, c = null!;
    private int m, n, k;

    internal static (int M, int N, int K) Parse(string shape)
    {
        var parts = shape.Split('x').Select(int.Parse).ToArray();
        return (parts[0], parts[1], parts[2]);
    }

    [GlobalSetup]
    public void Setup()
    {
        device = ComputeDevice.OpenWebGpu();
        (m, n, k) = Parse(Shape);
        var random = new Random(2);
        a = device.CreateBuffer<float>(Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray());
        b = device.CreateBuffer<float>(Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble()).ToArray());
        c = device.CreateBuffer<float>(m * n);
    }

    [GlobalCleanup]
    public void Cleanup() => device.Dispose();

    private void Run(MatmulVariant variant)
    {
        Ops.Matmul(device, a, b, c, m, n, k, new MatmulOptions { Variant = variant });
        device.Synchronize();
    }

    [Benchmark(Baseline = true, Description = "Auto (chooser)")]
    public void Auto() => Run(MatmulVariant.Auto);

    [Benchmark(Description = "RowBlocked")]
    public void RowBlocked() => Run(MatmulVariant.RowBlocked);

    [Benchmark(Description = "Blocked")]
    public void Blocked() => Run(MatmulVariant.Blocked);

    [Benchmark(Description = "Simple")]
    public void Simple() => Run(MatmulVariant.Simple);
}
