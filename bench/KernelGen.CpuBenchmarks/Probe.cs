using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace KernelGen.CpuBenchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/KernelGen.CpuBenchmarks -- probe [kernelgen] [sequential] [device ...]</c>:
/// a quick stopwatch look, not the benchmark. Every kernel is first checked against a float64 reference.
/// <c>kernelgen</c>: KernelGen's kernels, with plain C# loops of the same algorithms as ceilings (<c>sequential</c>
/// adds the tiled kernel in sequential mode, seconds per launch); each device (default, nvidia, amd, intel, or
/// warp,warps,multiprocessors such as 4,64,1): ILGPU's kernels on that CPU device.
/// </summary>
public static class Probe
{
    public static void Run(string[] args)
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
        bool kernelGen = args.Contains("kernelgen") || args.Contains("sequential");
        bool withSequential = args.Contains("sequential");
        if (kernelGen)
        using (var device = ComputeDevice.OpenCpu())
        using (var sequential = ComputeDevice.OpenCpu(new CpuOptions { Sequential = true }))
        {
            Console.WriteLine(device.Description);
            var x = Data.Random(Data.SaxpyLength, 1);
            var y = Data.Random(Data.SaxpyLength, 2);
            using var gx = device.CreateBuffer<float>(x);
            using var gy = device.CreateBuffer<float>(y);
            var plainY = (float[])y.Clone();
            Time("plain C# saxpy 1M, one thread (ceiling)", Data.SaxpyFlops, () =>
            {
                for (int i = 0; i < plainY.Length; i++) plainY[i] = Data.SaxpyA * x[i] + plainY[i];
            }, () => { });
            Time("plain C# saxpy 1M, Parallel.For over 16K chunks", Data.SaxpyFlops, () => Parallel.For(0, plainY.Length / 16384, c =>
            {
                for (int i = c * 16384; i < (c + 1) * 16384; i++) plainY[i] = Data.SaxpyA * x[i] + plainY[i];
            }), () => { });
            using (var sy = sequential.CreateBuffer<float>(y))
            using (var sx = sequential.CreateBuffer<float>(x))
                Time("KernelGen saxpy 1M, sequential mode (one thread)", Data.SaxpyFlops, () => KernelGenKernels.SaxpyKernel.Dispatch(sequential, Data.SaxpyLength, sx, sy, Data.SaxpyA, Data.SaxpyLength), () => { });
            Time("KernelGen saxpy 1M", Data.SaxpyFlops, () => KernelGenKernels.SaxpyKernel.Dispatch(device, Data.SaxpyLength, gx, gy, Data.SaxpyA, Data.SaxpyLength),
                () => { gy.Upload(y); KernelGenKernels.SaxpyKernel.Dispatch(device, Data.SaxpyLength, gx, gy, Data.SaxpyA, Data.SaxpyLength); Data.Check("saxpy", gy.Read(), Data.Saxpy(x, y, Data.SaxpyA)); });
            foreach (int n in new[] { 128, 256 })
            {
                var a = Data.Random(n * n, 3);
                var b = Data.Random(n * n, 4);
                var expected = Data.Matmul(a, b, n);
                using var ga = device.CreateBuffer<float>(a);
                using var gb = device.CreateBuffer<float>(b);
                using var gc = device.CreateBuffer<float>(n * n);
                using var sa = sequential.CreateBuffer<float>(a);
                using var sb = sequential.CreateBuffer<float>(b);
                using var sc = sequential.CreateBuffer<float>(n * n);
                uint un = (uint)n;
                Action naive = () => KernelGenKernels.NaiveMatmulKernel.Dispatch(device, (n, n), ga, gb, gc, un);
                Action tiled = () => KernelGenKernels.TiledMatmulKernel.Dispatch(device, (n, n), ga, gb, gc, un);
                Action tiledSequential = () => KernelGenKernels.TiledMatmulKernel.Dispatch(sequential, (n, n), sa, sb, sc, un);
                var plainC = new float[n * n];
                Time($"plain C# naive matmul {n}, Parallel.For over rows", Data.MatmulFlops(n), () => Parallel.For(0, n, row =>
                {
                    for (int col = 0; col < n; col++)
                    {
                        float sum = 0f;
                        for (int k = 0; k < n; k++) sum += a[row * n + k] * b[k * n + col];
                        plainC[row * n + col] = sum;
                    }
                }), () => { });
                Time($"KernelGen naive matmul {n}", Data.MatmulFlops(n), naive, () => { gc.Upload(new float[n * n]); naive(); Data.Check("naive", gc.Read(), expected); });
                Time($"KernelGen tiled matmul {n}", Data.MatmulFlops(n), tiled, () => { gc.Upload(new float[n * n]); tiled(); Data.Check("tiled", gc.Read(), expected); });
                if (withSequential)
                    Time($"KernelGen tiled matmul {n}, sequential mode", Data.MatmulFlops(n), tiledSequential,
                    () => { sc.Upload(new float[n * n]); tiledSequential(); Data.Check("tiled sequential", sc.Read(), expected); }, repeats: 1);
            }
        }

        foreach (string name in args.Where(a => a is not ("kernelgen" or "sequential")))
        {
            using var ilgpu = new IlgpuCpu(ParseDevice(name));
            var acc = ilgpu.Accelerator;
            Console.WriteLine($"ILGPU {name}: warp {acc.WarpSize}, max group {acc.MaxNumThreadsPerGroup}, {acc.NumMultiprocessors} multiprocessors, {acc.MaxNumThreads} threads");
            var x = Data.Random(Data.SaxpyLength, 1);
            var y = Data.Random(Data.SaxpyLength, 2);
            using var ix = acc.Allocate1D(x);
            using var iy = acc.Allocate1D(y);
            Time($"ILGPU {name} saxpy 1M", Data.SaxpyFlops, () => { ilgpu.Saxpy(Data.SaxpyLength, ix.View, iy.View, Data.SaxpyA); acc.Synchronize(); },
                () => { iy.CopyFromCPU(y); ilgpu.Saxpy(Data.SaxpyLength, ix.View, iy.View, Data.SaxpyA); acc.Synchronize(); Data.Check("saxpy", iy.GetAsArray1D(), Data.Saxpy(x, y, Data.SaxpyA)); });
            foreach (int n in new[] { 128, 256 })
            {
                var a = Data.Random(n * n, 3);
                var b = Data.Random(n * n, 4);
                var expected = Data.Matmul(a, b, n);
                using var ia = acc.Allocate1D(a);
                using var ib = acc.Allocate1D(b);
                using var ic = acc.Allocate1D<float>(n * n);
                Action naive = () => { ilgpu.NaiveMatmul(new Index2D(n, n), ia.View, ib.View, ic.View, n); acc.Synchronize(); };
                Time($"ILGPU {name} naive matmul {n}", Data.MatmulFlops(n), naive, () => { ic.MemSetToZero(); naive(); Data.Check("naive", ic.GetAsArray1D(), expected); });
                if (acc.MaxNumThreadsPerGroup < IlgpuKernels.Tile * IlgpuKernels.Tile)
                {
                    Console.WriteLine($"ILGPU {name} tiled matmul {n}: groups of 256 exceed this device's {acc.MaxNumThreadsPerGroup}");
                    continue;
                }
                Action tiled = () => { ilgpu.RunTiled(n, ia.View, ib.View, ic.View); acc.Synchronize(); };
                Time($"ILGPU {name} tiled matmul {n}", Data.MatmulFlops(n), tiled, () => { ic.MemSetToZero(); tiled(); Data.Check("tiled", ic.GetAsArray1D(), expected); }, repeats: 1);
            }
        }
    }

    public static CPUDevice ParseDevice(string name) => name.ToLowerInvariant() switch
    {
        "default" => CPUDevice.Default,
        "nvidia" => CPUDevice.Nvidia,
        "amd" => CPUDevice.AMD,
        "intel" => CPUDevice.Intel,
        _ when name.Split(',') is [var w, var p, var m] => new CPUDevice(int.Parse(w), int.Parse(p), int.Parse(m)),
        _ => throw new ArgumentException($"unknown ILGPU CPU device '{name}'"),
    };

    private static void Time(string what, double flops, Action run, Action check, int repeats = 5)
    {
        check();
        // Warm up for a second (tiered JIT: the kernel's method starts in tier 0).
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 1) run();
        var watch = Stopwatch.StartNew();
        int count = 0;
        do
        {
            run();
            count++;
        }
        while (count < repeats || (watch.Elapsed.TotalSeconds < 0.5 && count < 1000));
        double seconds = watch.Elapsed.TotalSeconds / count;
        Console.WriteLine($"{what,-48} {seconds * 1e3,12:F3} ms {flops / seconds / 1e9,10:F4} GFLOP/s  (x{count})");
    }
}
