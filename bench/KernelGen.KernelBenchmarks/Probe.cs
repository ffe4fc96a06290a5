using System.Diagnostics;
using System.Numerics;
using KernelGen.Models.Kernels;


namespace KernelGen.KernelBenchmarks;

/// <summary>A quick Stopwatch probe (not BenchmarkDotNet) used while tuning: <c>-- probe</c>.</summary>
public static class Probe
{
    public static void Run(string[] args)
    {
        if (args.Contains("copy"))
        {
            using var d = ComputeDevice.OpenWebGpu();
            int n = 1 << 22;
            using var x = d.CreateBuffer<float>(n);
            using var y = d.CreateBuffer<float>(n);
            void T(string name, Action run)
            {
                run(); d.Synchronize();
                var sw = Stopwatch.StartNew();
                for (int r = 0; r < 10; r++) { run(); d.Synchronize(); }
                Console.WriteLine($"{name,-10} {sw.Elapsed.TotalMilliseconds / 10,8:F2} ms");
            }
            for (int rep = 0; rep < 2; rep++)
            {
                var (grid, width) = Ops.InvocationGrid(n);
                T("copy", () => CopyKernels.CopyKernel.Dispatch(d, grid, x, y, (uint)n, width));
                var (grid8, width8) = Ops.ElementGrid(n);
                T("copy8", () => CopyKernels.CopyBlockedKernel.Dispatch(d, grid8, x, y, (uint)n, width8));
                T("device", () => d.Copy(x, y));
            }
            return;
        }
        if (args.Contains("interleaved"))
        {
            Interleaved();
            return;
        }
        if (args.Contains("attention"))
        {
            Attention();
            return;
        }
        using var device = ComputeDevice.OpenWebGpu();
        Console.WriteLine(device.Description);
        foreach (int n in new[] { 256, 512, 1024 })
        {
            var random = new Random(1);
            float[] ha = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] hb = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            using var a = device.CreateBuffer<float>(ha);
            using var b = device.CreateBuffer<float>(hb);
            using var bias = device.CreateBuffer<float>(1);
            using var c = device.CreateBuffer<float>(n * n);
            uint u = (uint)n;
            double flops = 2.0 * n * n * n;
            void Time(string name, Action run)
            {
                run(); device.Synchronize();
                int reps = n <= 256 ? 20 : n <= 512 ? 5 : 2;
                var process = Process.GetCurrentProcess();
                var cpu0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                for (int r = 0; r < reps; r++) { run(); device.Synchronize(); }
                double s = sw.Elapsed.TotalSeconds / reps;
                process.Refresh();
                double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds / reps;
                Console.WriteLine($"N={n,5} {name,-14} {s * 1e3,9:F2} ms {flops / s / 1e9,8:F2} GFLOP/s  {flops / cpu / 1e9,8:F2} GFLOP/cpu-s");
            }
            if (args.Contains("simple"))
                Time("Simple", () => MatmulKernels.SimpleKernel.Dispatch(device, (n, n, 1), a, b, bias, c, u, u, u, u, 1, 0, u, 1, 0, 1f, 0f, 0, 0));
            Time("RowBlocked", () => Ops.Matmul(device, a, b, c, n, n, n, new MatmulOptions { Variant = MatmulVariant.RowBlocked }));
            Time("Blocked", () => Ops.Matmul(device, a, b, c, n, n, n, new MatmulOptions { Variant = MatmulVariant.Blocked }));
            if (args.Contains("tiled"))
                Time("Tiled", () => MatmulKernels.TiledKernel.Dispatch(device, (n, n, 1), a, b, bias, c, u, u, u, u, 1, 0, u, 1, 0, 1f, 0f, 0, 0));
            using var a4 = device.CreateBuffer<Vector4>(ToVec4(ha));
            using var b4 = device.CreateBuffer<Vector4>(ToVec4(hb));
            using var c4 = device.CreateBuffer<Vector4>(n * n / 4);
            Time("hand WGSL", () => HandWrittenMatmul.Dispatch(device, a4, b4, c4, n, n, n));
            Time("C# vec4", () => Ops.MatmulVec4(device, a4, b4, c4, n, n, n));
            float[] hc = new float[n * n];
            Time("CPU Vector", () => CpuMatmul.Multiply(ha, hb, hc, n, n, n));
        }
    }

    /// <summary>
    /// The matmul kernels taken in turn, round after round, so a burst of load on a shared machine hits all of them
    /// alike; the median of each, and its ratio to the hand-written yardstick's median.
    /// </summary>
    private static void Interleaved()
    {
        using var device = ComputeDevice.OpenWebGpu();
        foreach (var (n, rounds) in new[] { (256, 15), (512, 9), (1024, 5) })
        {
            var random = new Random(1);
            float[] ha = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] hb = Enumerable.Range(0, n * n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] hc = new float[n * n];
            using var a = device.CreateBuffer<float>(ha);
            using var b = device.CreateBuffer<float>(hb);
            using var c = device.CreateBuffer<float>(n * n);
            using var a4 = device.CreateBuffer<Vector4>(ToVec4(ha));
            using var b4 = device.CreateBuffer<Vector4>(ToVec4(hb));
            using var c4 = device.CreateBuffer<Vector4>(n * n / 4);
            var kernels = new (string Name, Action Run)[]
            {
                ("hand-written WGSL", () => HandWrittenMatmul.Dispatch(device, a4, b4, c4, n, n, n)),
                ("C# BlockedVec4", () => Ops.MatmulVec4(device, a4, b4, c4, n, n, n)),
                ("C# RowBlocked", () => Ops.Matmul(device, a, b, c, n, n, n, new MatmulOptions { Variant = MatmulVariant.RowBlocked })),
                ("C# Blocked", () => Ops.Matmul(device, a, b, c, n, n, n, new MatmulOptions { Variant = MatmulVariant.Blocked })),
                ("CPU Vector<float>", () => CpuMatmul.Multiply(ha, hb, hc, n, n, n)),
            };
            var times = kernels.Select(_ => new List<double>()).ToArray();
            foreach (var kernel in kernels) { kernel.Run(); device.Synchronize(); }
            for (int round = 0; round < rounds; round++)
                for (int i = 0; i < kernels.Length; i++)
                {
                    var sw = Stopwatch.StartNew();
                    kernels[i].Run();
                    device.Synchronize();
                    times[i].Add(sw.Elapsed.TotalMilliseconds);
                }
            double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
            double baseline = Median(times[0]);
            foreach (var (kernel, t) in kernels.Zip(times))
            {
                double m = Median(t);
                Console.WriteLine($"| {n} | {kernel.Name} | {m:F2} | {2.0 * n * n * n / m / 1e6:F2} | {m / baseline:F2} |");
            }
        }
    }

    private static void Attention()
    {
        using var device = ComputeDevice.OpenWebGpu();
        using var pool = new BufferPool(device);
        foreach (int t in new[] { 128, 256, 512 })
        {
            var shape = new AttentionShape(8, t, t, 32, Causal: true);
            int size = (int)shape.QuerySize;
            var random = new Random(1);
            float[] R() => Enumerable.Range(0, size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            using var q = device.CreateBuffer<float>(R());
            using var k = device.CreateBuffer<float>(R());
            using var v = device.CreateBuffer<float>(R());
            using var o = device.CreateBuffer<float>(size);
            using var lse = device.CreateBuffer<float>(8 * t);
            using var probs = device.CreateBuffer<float>((int)shape.ScoreSize);
            void Time(string name, Action run)
            {
                run(); device.Synchronize();
                var process = Process.GetCurrentProcess();
                var cpu0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                for (int r = 0; r < 5; r++) { run(); device.Synchronize(); }
                process.Refresh();
                Console.WriteLine($"T={t,4} {name,-10} {sw.Elapsed.TotalMilliseconds / 5,9:F2} ms  cpu {(process.TotalProcessorTime - cpu0).TotalMilliseconds / 5,9:F2} ms");
            }
            Time("fused", () => Ops.Attention(device, q, k, v, o, lse, shape));
            Time("composed", () => Ops.AttentionComposed(device, q, k, v, o, probs, shape, pool));
        }
    }

    private static Vector4[] ToVec4(float[] x)
    {
        var v = new Vector4[x.Length / 4];
        for (int i = 0; i < v.Length; i++) v[i] = new Vector4(x[4 * i], x[4 * i + 1], x[4 * i + 2], x[4 * i + 3]);
        return v;
    }
}
