using System.Diagnostics;
using KernelGen.Models.Architectures;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;

namespace KernelGen.ModelBenchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/KernelGen.ModelBenchmarks -- MODE [rounds] [steps]</c>, MODE one of
/// <c>overhead</c> (the MLP step with the library against the same step on Ops, both backends), <c>models</c>
/// (per-step times of every catalog architecture and the GPT, both backends), <c>kernels</c> (per-kernel GPU times of one
/// step on WebGPU), <c>sumsq</c> (the gradient-norm reduction, see <see cref="SumOfSquaresProbe"/>) or <c>all</c>. Variants are interleaved round by round, the order rotating, so load on a shared
/// machine hits them alike; the tables give medians over rounds of the per-step time (round time / steps).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "all";
        int rounds = args.Length > 1 ? int.Parse(args[1]) : 0;
        int steps = args.Length > 2 ? int.Parse(args[2]) : 0;
        Console.WriteLine($"args: {string.Join(' ', args)}");
        Console.WriteLine($"loadavg before: {LoadAverage()}   {Environment.ProcessorCount} cores, {Environment.Version}");
        var data = new MnistBatches();
        Console.WriteLine($"data: {data.Source}");
        var total = Stopwatch.StartNew();
        if (mode is "overhead" or "all") Overhead(data, rounds > 0 ? rounds : 15, steps > 0 ? steps : 20);
        if (mode is "models" or "all") Models(data, rounds > 0 ? rounds : 5, steps > 0 ? steps : 2);
        if (mode is "kernels" or "all") KernelProfile.Run(data, steps > 0 ? steps : 5);
        if (mode is "sumsq" or "all") SumOfSquaresProbe.Run(rounds > 0 ? rounds : 9);
        if (mode is "conv" or "all")
            ConvProbe.Run(rounds > 0 ? rounds : 5, steps > 0 ? steps : 2, args.Length > 3 ? args[3] : "", args.Length > 4 ? args[4] : "Before,After");
        if (mode is "convsteps" or "all") ConvSteps(data, rounds > 0 ? rounds : 5, steps > 0 ? steps : 2);
        Console.WriteLine($"loadavg after: {LoadAverage()}   ({total.Elapsed.TotalSeconds:F0} s)");
        return 0;
    }

    private static void Overhead(MnistBatches data, int rounds, int steps)
    {
        foreach (var backend in Backends())
        {
            using var device = backend.Open();
            Console.WriteLine($"\n## overhead: MLP 784-128-10, batch 64, SGD lr 0.1; {backend.Name}: {device.Description}; {rounds} rounds x {steps} steps");
            var model = new Mlp(new Init(device, 1), ImageShape.Mnist, MlpConfig.Default);
            var raw = new RawMlpStep("raw Ops", model, data, fused: false);
            var fused = new RawMlpStep("raw Ops, ReLU fused", model, data, fused: true);
            var library = new LibraryClassifierStep("library", model, data);
            IStep[] variants = [library, raw, fused];
            // Same initial parameters, same batches: the first losses agree (the steps run the same kernels).
            foreach (var v in variants)
            {
                var losses = new List<float>();
                for (int i = 0; i < 3; i++) { v.Record(); losses.Add(v.Read()); }
                Console.WriteLine($"  first losses {v.Name,-22} {string.Join(" ", losses.Select(l => l.ToString("F5")))}  ({v.Dispatches} dispatches/step)");
            }
            var results = Interleave(variants, rounds, steps);
            Report(results, variants[0]);
            foreach (var v in variants) v.Dispose();
        }
    }

    /// <summary>
    /// One training step of every architecture of <see cref="Catalog.Vision"/> (its catalog configuration, batch 64,
    /// <see cref="ClassifierTrainer"/> with AdamW lr 1e-3, no weight decay, as <c>train</c> uses) and of the character
    /// GPT with 2 and 4 layers (<see cref="GptStep"/>, batch 32), on both backends at once: all variants of both
    /// backends interleaved round by round, the order rotating.
    /// </summary>
    private static void Models(MnistBatches data, int rounds, int steps)
    {
        var backends = Backends().Select(b => (b.Name, Device: b.Open())).ToArray();
        foreach (var (name, device) in backends) Console.WriteLine($"{name}: {device.Description}");
        Console.WriteLine($"\n## models: library steps of every architecture, both backends interleaved; {rounds} rounds x {steps} steps");
        var variants = new List<(string Backend, string Model, IStep Step)>();
        foreach (var (backend, device) in backends)
        {
            foreach (var entry in Catalog.Vision)
                variants.Add((backend, entry.Name, new LibraryClassifierStep(entry.Name, entry.Create(new Init(device, 1), ImageShape.Mnist, 10), data,
                    m => new AdamW(m.NamedParameters(), 1e-3f, weightDecay: 0f))));
            variants.Add((backend, "gpt 2x128", new GptStep(device, layers: 2)));
            variants.Add((backend, "gpt 4x128", new GptStep(device, layers: 4)));
        }
        foreach (var v in variants)
        {
            var sw = Stopwatch.StartNew();
            v.Step.Record();
            float loss = v.Step.Read();
            Console.WriteLine($"  warm-up {v.Backend,-12} {v.Model,-14} loss {loss:F4}  {v.Step.Dispatches} dispatches  {sw.Elapsed.TotalMilliseconds:F0} ms");
        }
        var results = Interleave(variants.Select(v => v.Step).ToArray(), rounds, steps);
        Report(results, null);
        const int stepsPerEpoch = 938; // MNIST: 60,000 images in batches of 64
        Console.WriteLine($"\n| model | dispatches/step | CPU backend ms/step | WebGPU ms/step | CPU backend s/epoch | WebGPU s/epoch |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var model in variants.Select(v => v.Model).Distinct())
        {
            var rows = variants.Select((v, i) => (v, r: results[i])).Where(x => x.v.Model == model).ToArray();
            double cpu = Median(rows.First(x => x.v.Backend == backends[0].Name).r.Total);
            double gpu = Median(rows.First(x => x.v.Backend == backends[1].Name).r.Total);
            var dispatches = rows.Select(x => x.v.Step.Dispatches).Distinct().ToArray();
            bool vision = !model.StartsWith("gpt");
            string epoch(double ms) => vision ? (ms * stepsPerEpoch / 1000).ToString("F0") : "";
            Console.WriteLine($"| {model} | {string.Join("/", dispatches)} | {cpu:F1} | {gpu:F1} | {epoch(cpu)} | {epoch(gpu)} |");
        }
        foreach (var v in variants) v.Step.Dispose();
        foreach (var (_, device) in backends) device.Dispose();
    }

    /// <summary>The CNN and the deep CNN's steps with the convolution and pooling routes before and after the blocked kernels, interleaved.</summary>
    private static void ConvSteps(MnistBatches data, int rounds, int steps)
    {
        foreach (var backend in Backends())
        {
            using var device = backend.Open();
            Console.WriteLine($"\n## convsteps: library steps, conv/pool before and after; {backend.Name}: {device.Description}; {rounds} rounds x {steps} steps");
            IStep[] variants =
            [
                new ConvProbe.LegacyStep(new LibraryClassifierStep("CNN default b64 SGD", new Cnn(new Init(device, 1), ImageShape.Mnist, CnnConfig.Default), data)),
                new LibraryClassifierStep("CNN default b64 SGD", new Cnn(new Init(device, 1), ImageShape.Mnist, CnnConfig.Default), data),
                new ConvProbe.LegacyStep(new LibraryClassifierStep("DeepCnn default b64 SGD", new DeepCnn(new Init(device, 1), ImageShape.Mnist, new DeepCnnConfig()), data)),
                new LibraryClassifierStep("DeepCnn default b64 SGD", new DeepCnn(new Init(device, 1), ImageShape.Mnist, new DeepCnnConfig()), data),
            ];
            foreach (var v in variants)
            {
                var losses = new List<float>();
                for (int i = 0; i < 2; i++) { v.Record(); losses.Add(v.Read()); }
                Console.WriteLine($"  first losses {v.Name,-34} {string.Join(" ", losses.Select(l => l.ToString("F5")))}");
            }
            var results = Interleave(variants, rounds, steps);
            Report(results, null);
            for (int i = 0; i + 1 < results.Count; i += 2)
            {
                var perRound = results[i + 1].Total.Zip(results[i].Total, (a, b) => a / b).ToList();
                Console.WriteLine($"per-round after/before {results[i + 1].Step.Name}: median {Median(perRound):F3}, min {perRound.Min():F3}, max {perRound.Max():F3}");
            }
            foreach (var v in variants) v.Dispose();
        }
    }

    public sealed record Result(IStep Step, List<double> Total, List<double> Record);

    /// <summary>Round after round, each variant runs <paramref name="steps"/> steps (the order rotating per round).</summary>
    private static List<Result> Interleave(IStep[] variants, int rounds, int steps)
    {
        var results = variants.Select(v => new Result(v, [], [])).ToList();
        for (int round = 0; round < rounds; round++)
            for (int j = 0; j < variants.Length; j++)
            {
                var r = results[(round + j) % variants.Length];
                double record = 0;
                var sw = Stopwatch.StartNew();
                for (int s = 0; s < steps; s++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    r.Step.Record();
                    record += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    float loss = r.Step.Read();
                    if (!float.IsFinite(loss)) throw new InvalidOperationException($"{r.Step.Name}: loss {loss}");
                }
                r.Total.Add(sw.Elapsed.TotalMilliseconds / steps);
                r.Record.Add(record / steps);
            }
        return results;
    }

    private static void Report(List<Result> results, IStep? baseline)
    {
        Console.WriteLine("| variant | dispatches/step | median ms/step | min | max | median record (host) ms | median wait ms | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        double? base_ = baseline is null ? null : Median(results.First(r => r.Step == baseline).Total);
        // The ratio column is this variant over the first raw one (library / raw), so the library row reads "library/raw".
        var raw = results.FirstOrDefault(r => r.Step is RawMlpStep);
        foreach (var r in results)
        {
            double m = Median(r.Total), rec = Median(r.Record);
            string ratio = raw is null ? "" : (m / Median(raw.Total)).ToString("F2");
            Console.WriteLine($"| {r.Step.Name} | {r.Step.Dispatches} | {m:F2} | {r.Total.Min():F2} | {r.Total.Max():F2} | {rec:F2} | {m - rec:F2} | {ratio} |");
        }
        if (raw is not null && baseline is not null)
        {
            // Per-round ratios (both measured in the same round), whose median is less sensitive to load drifting between rounds.
            var lib = results.First(r => r.Step == baseline);
            var perRound = lib.Total.Zip(raw.Total, (l, w) => l / w).ToList();
            Console.WriteLine($"per-round library/raw: median {Median(perRound):F3}, min {perRound.Min():F3}, max {perRound.Max():F3}");
        }
        _ = base_;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static IEnumerable<(string Name, Func<ComputeDevice> Open)> Backends()
    {
        yield return ("CPU backend", () => ComputeDevice.OpenCpu());
        yield return ("WebGPU", () => ComputeDevice.OpenWebGpu());
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
