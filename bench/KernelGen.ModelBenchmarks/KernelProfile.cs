using KernelGen.Models.Architectures;
using KernelGen.Models.Nn;

namespace KernelGen.ModelBenchmarks;

/// <summary>
/// Per-kernel GPU times of one training step on WebGPU: the step recorded inside an outer
/// <c>BeginBatch(timed: true)</c> (the step's own batch joins it), <see cref="ComputeBatch.Timings"/> summed by
/// kernel name, per step, median over <c>steps</c> timed steps. Each dispatch then gets its own compute pass, so the
/// sum is a little above an untimed step's device time.
/// </summary>
public static class KernelProfile
{
    public static void Run(MnistBatches data, int steps)
    {
        using var device = ComputeDevice.OpenWebGpu();
        Console.WriteLine($"\n## kernels: WebGPU {device.Description}; timestamps: {device.SupportsGpuTimestamps}; median of {steps} timed steps");
        if (!device.SupportsGpuTimestamps)
        {
            Console.WriteLine("This adapter has no timestamp queries: no per-kernel times.");
            return;
        }
        var mlp = new Mlp(new Init(device, 1), ImageShape.Mnist, MlpConfig.Default);
        IStep[] variants =
        [
            new LibraryClassifierStep("MLP (library)", mlp, data),
            new RawMlpStep("MLP (raw Ops)", mlp, data, fused: false),
            new LibraryClassifierStep("CNN (library)", new Cnn(new Init(device, 1), ImageShape.Mnist, CnnConfig.Default), data),
            new GptStep(device),
        ];
        foreach (var v in variants)
        {
            v.Record(); v.Read(); // warm: pipelines compiled, pool filled
            var perStep = new List<Dictionary<string, (double Us, int Count)>>();
            var untimed = new List<double>();
            for (int s = 0; s < steps; s++)
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                v.Record(); v.Read();
                untimed.Add(sw.Elapsed.TotalMilliseconds);
                var sums = new Dictionary<string, (double Us, int Count)>();
                using (var batch = device.BeginBatch(timed: true))
                {
                    v.Record();
                    batch.Submit();
                    if (s == 0 && Environment.GetEnvironmentVariable("KERNELS_TRACE") == "1")
                        Console.WriteLine($"  {v.Name} in order: " + string.Join(", ", batch.Timings.Select(t => $"{t.Kernel.Split('.')[^1]} {t.Workgroups} {t.Microseconds:F0}")));
                    foreach (var t in batch.Timings)
                    {
                        var (us, count) = sums.GetValueOrDefault(t.Kernel);
                        sums[t.Kernel] = (us + t.Microseconds, count + 1);
                    }
                }
                v.Read();
                perStep.Add(sums);
            }
            var names = perStep.SelectMany(d => d.Keys).Distinct().ToArray();
            var rows = names.Select(n => (Name: n, Us: Program.Median(perStep.Select(d => d.GetValueOrDefault(n).Us)),
                    Count: perStep[0].GetValueOrDefault(n).Count))
                .OrderByDescending(r => r.Us).ToArray();
            double total = rows.Sum(r => r.Us);
            int dispatches = rows.Sum(r => r.Count);
            Console.WriteLine($"\n### {v.Name}: {dispatches} dispatches, kernel time {total / 1000:F2} ms per step (untimed step wall, median: {Program.Median(untimed):F2} ms)");
            Console.WriteLine("| kernel | dispatches | ms/step | share |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var r in rows.Take(10))
                Console.WriteLine($"| {r.Name} | {r.Count} | {r.Us / 1000:F3} | {r.Us / total:P1} |");
            if (rows.Length > 10)
                Console.WriteLine($"| ({rows.Length - 10} others) | {rows.Skip(10).Sum(r => r.Count)} | {rows.Skip(10).Sum(r => r.Us) / 1000:F3} | {rows.Skip(10).Sum(r => r.Us) / total:P1} |");
        }
        foreach (var v in variants) v.Dispose();
    }
}
