using System.Diagnostics;
using System.Globalization;
using ILGPU;
using ILGPU.Runtime;

namespace KernelGen.CpuBenchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/KernelGen.CpuBenchmarks -- interleaved [rounds]</c>: KernelGen and ILGPU
/// alternated in one process, round after round (KernelGen sample, ILGPU sample, ...), so both see the same load on
/// a shared machine; each round gives one ratio (ILGPU time / KernelGen time) and the table shows the median and the
/// range over the rounds. A sample is the mean of as many launches as fill 0.2 s (at least one). Both sides are
/// warmed up and checked against the float64 reference first. ILGPU's idle accelerator threads exist while KernelGen
/// runs here (unlike the BenchmarkDotNet run, where each implementation has its own process).
/// </summary>
public static class Interleaved
{
    private const double SampleSeconds = 0.2;

    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {rounds} rounds, load {Load()}");
        Console.WriteLine("| kernel | n | KernelGen median (range) | ILGPU median (range) | ILGPU time / KernelGen: median (range) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        using var device = ComputeDevice.OpenCpu();

        var x = Data.Random(Data.SaxpyLength, 1);
        var y = Data.Random(Data.SaxpyLength, 2);
        using (var ilgpu = IlgpuDevice.Open())
        using (var kx = device.CreateBuffer<float>(x))
        using (var ky = device.CreateBuffer<float>(y))
        using (var ix = ilgpu.Accelerator.Allocate1D(x))
        using (var iy = ilgpu.Accelerator.Allocate1D(y))
        {
            Action kernelGen = () => KernelGenKernels.SaxpyKernel.Dispatch(device, Data.SaxpyLength, kx, ky, Data.SaxpyA, Data.SaxpyLength);
            Action other = () => { ilgpu.Saxpy(Data.SaxpyLength, ix.View, iy.View, Data.SaxpyA); ilgpu.Accelerator.Synchronize(); };
            kernelGen();
            other();
            var expected = Data.Saxpy(x, y, Data.SaxpyA);
            Data.Check("KernelGen saxpy", ky.Read(), expected);
            Data.Check("ILGPU saxpy", iy.GetAsArray1D(), expected);
            Compare("saxpy", "1M", rounds, kernelGen, other);
        }

        foreach (int n in new[] { 128, 256 })
        {
            var a = Data.Random(n * n, 3);
            var b = Data.Random(n * n, 4);
            var expected = Data.Matmul(a, b, n);
            uint un = (uint)n;
            using var ka = device.CreateBuffer<float>(a);
            using var kb = device.CreateBuffer<float>(b);
            using var kc = device.CreateBuffer<float>(n * n);
            using (var ilgpu = IlgpuDevice.Open())
            using (var ia = ilgpu.Accelerator.Allocate1D(a))
            using (var ib = ilgpu.Accelerator.Allocate1D(b))
            using (var ic = ilgpu.Accelerator.Allocate1D<float>(n * n))
            {
                Action kernelGen = () => KernelGenKernels.NaiveMatmulKernel.Dispatch(device, (n, n), ka, kb, kc, un);
                Action other = () => { ilgpu.NaiveMatmul(new Index2D(n, n), ia.View, ib.View, ic.View, n); ilgpu.Accelerator.Synchronize(); };
                kernelGen();
                other();
                Data.Check("KernelGen naive", kc.Read(), expected);
                Data.Check("ILGPU naive", ic.GetAsArray1D(), expected);
                Compare("naive matmul", n.ToString(CultureInfo.InvariantCulture), rounds, kernelGen, other);
            }
            if (n != 128) continue; // ILGPU's tiled kernel takes ~100 s per launch at n = 256
            using (var ilgpu = IlgpuDevice.Open(tiled: true))
            using (var ia = ilgpu.Accelerator.Allocate1D(a))
            using (var ib = ilgpu.Accelerator.Allocate1D(b))
            using (var ic = ilgpu.Accelerator.Allocate1D<float>(n * n))
            {
                Action kernelGen = () => KernelGenKernels.TiledMatmulKernel.Dispatch(device, (n, n), ka, kb, kc, un);
                Action other = () => { ilgpu.RunTiled(n, ia.View, ib.View, ic.View); ilgpu.Accelerator.Synchronize(); };
                kc.Upload(new float[n * n]);
                kernelGen();
                other();
                Data.Check("KernelGen tiled", kc.Read(), expected);
                Data.Check("ILGPU tiled", ic.GetAsArray1D(), expected);
                Compare("tiled matmul", "128", Math.Min(rounds, 3), kernelGen, other);
            }
        }
        Console.WriteLine($"load at the end {Load()}");
    }

    private static void Compare(string kernel, string size, int rounds, Action kernelGen, Action ilgpu)
    {
        // Tiered JIT: run the KernelGen side for a moment first, so its loops are at tier 1 before timing.
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 0.5) kernelGen();
        var ours = new List<double>();
        var theirs = new List<double>();
        var ratios = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            double k = Sample(kernelGen);
            double i = Sample(ilgpu);
            ours.Add(k);
            theirs.Add(i);
            ratios.Add(i / k);
        }
        Console.WriteLine($"| {kernel} | {size} | {Time(Median(ours))} ({Time(ours.Min())}-{Time(ours.Max())}) | " +
                          $"{Time(Median(theirs))} ({Time(theirs.Min())}-{Time(theirs.Max())}) | " +
                          $"**{F(Median(ratios))}** ({F(ratios.Min())}-{F(ratios.Max())}) |");
    }

    private static double Sample(Action run)
    {
        var watch = Stopwatch.StartNew();
        int count = 0;
        do
        {
            run();
            count++;
        }
        while (watch.Elapsed.TotalSeconds < SampleSeconds);
        return watch.Elapsed.TotalSeconds / count;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Time(double seconds) =>
        seconds >= 1 ? F(seconds) + " s" : F(seconds * 1e3) + " ms";

    private static string F(double value) =>
        value.ToString(value >= 100 ? "F0" : value >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
