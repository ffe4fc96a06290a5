using System.Diagnostics;
using KernelGen.Models.Kernels;

namespace KernelGen.Benchmarks;

/// <summary>
/// <c>KernelGen.Benchmarks overhead-ab [rounds]</c>: the overhead benchmark (a) measured the way a noisy shared
/// machine allows: raw Dawn and stub rounds of 1000 encoded dispatches alternate, so load that comes and goes hits
/// both alike, and the report gives the minimum and median per dispatch and the median of the per-round ratios.
/// A cross-check of BenchmarkDotNet's DispatchOverhead, whose separate runs of each side drift apart under load.
/// </summary>
internal static class InterleavedOverhead
{
    public static void Run(int rounds)
    {
        using var device = ComputeDevice.OpenWebGpu();
        using var x = device.CreateBuffer<float>(64);
        using var y = device.CreateBuffer<float>(64);
        using var raw = new RawDawnSaxpy(device, x, y);
        ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, x, y, 1f, 64u);
        device.Synchronize();
        const int n = 1000;
        var rawTimes = new List<double>();
        var stubTimes = new List<double>();
        var ratios = new List<double>();
        var dispatchTimes = new List<double>();
        var validateTimes = new List<double>();
        GpuBuffer[] buffers = [x, y];
        string[] names = ["x", "y"];
        var uniforms = new byte[16];
        var info = ElementwiseKernels.SaxpyKernel.Info;
        for (int round = -10; round < rounds; round++) // 10 rounds of warm-up
        {
            long start = Stopwatch.GetTimestamp();
            raw.Encode(n, 64, submit: false);
            double rawUs = Stopwatch.GetElapsedTime(start).TotalMicroseconds / n;
            start = Stopwatch.GetTimestamp();
            var batch = device.BeginBatch();
            for (int i = 0; i < n; i++) ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, x, y, 1f + i, 64u);
            batch.Discard();
            double stubUs = Stopwatch.GetElapsedTime(start).TotalMicroseconds / n;
            start = Stopwatch.GetTimestamp();
            batch = device.BeginBatch();
            for (int i = 0; i < n; i++) device.Dispatch(info, 64, buffers, uniforms);
            batch.Discard();
            double dispatchUs = Stopwatch.GetElapsedTime(start).TotalMicroseconds / n;
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++) KernelLaunch.Validate(info, device, 64, buffers, names);
            double validateUs = Stopwatch.GetElapsedTime(start).TotalMicroseconds / n;
            if (round < 0) continue;
            dispatchTimes.Add(dispatchUs);
            validateTimes.Add(validateUs);
            rawTimes.Add(rawUs);
            stubTimes.Add(stubUs);
            ratios.Add(stubUs / rawUs);
        }
        Console.WriteLine($"{device.Description}; {rounds} alternating rounds of {n} encoded Saxpy dispatches (64 invocations)");
        Console.WriteLine("| per dispatch | min | median |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine($"| raw Dawn calls | {Min(rawTimes):0.000} µs | {Median(rawTimes):0.000} µs |");
        Console.WriteLine($"| generated stub in a batch | {Min(stubTimes):0.000} µs | {Median(stubTimes):0.000} µs |");
        Console.WriteLine($"| of which ComputeDevice.Dispatch alone | {Min(dispatchTimes):0.000} µs | {Median(dispatchTimes):0.000} µs |");
        Console.WriteLine($"| of which KernelLaunch.Validate alone | {Min(validateTimes):0.000} µs | {Median(validateTimes):0.000} µs |");
        Console.WriteLine($"| ratio stub / raw | {Min(stubTimes) / Min(rawTimes):0.00} (of minimums) | {Median(ratios):0.00} (median of per-round ratios) |");
    }

    private static double Min(List<double> values) => values.Min();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
