using System.Diagnostics;
using System.Globalization;
using KernelGen.Models.Kernels;
using KernelGen.Samples;

namespace KernelGen.Benchmarks;

/// <summary>
/// <c>KernelGen.Benchmarks lp-sweep [rounds]</c>: the LP_NUM_THREADS benchmark (d) as alternating child processes.
/// Mesa reads the variable when the driver loads, so each setting needs a process of its own; the settings take
/// turns (unset, 0, 1, 2, unset, ...) so a shared machine's load hits them alike, each child reports the best of a few
/// repetitions per workload, and the parent prints the minimum and median over rounds with ratios to Mesa's default.
/// </summary>
internal static class LavapipeSweep
{
    public const string ChildArgument = "lp-child";

    private static readonly string?[] Settings = [null, "0", "1", "2"];

    private static readonly (string Name, string Description)[] Workloads =
    [
        ("one", "1 tiny dispatch (Saxpy, 64 elements): submit + wait (best of 20)"),
        ("tiny", "100 tiny dispatches (Saxpy, 64 elements), 1 batch + wait"),
        ("submits", "100 tiny dispatches, 100 submits + wait"),
        ("medium", "100 medium dispatches (Saxpy, 64K elements), 1 batch + wait"),
        ("large", "1 large kernel (SmoothClamp, 4M elements) + wait"),
        ("mlp", "10 training steps of an MLP 784-128-10, batch 64 (9 dispatches each, 1 batch per step) + wait"),
    ];

    public static void Run(int rounds)
    {
        var results = Settings.ToDictionary(s => s ?? "unset", _ => Workloads.ToDictionary(w => w.Name, _ => new List<double>()));
        string device = "";
        for (int round = 0; round < rounds; round++)
        {
            foreach (var setting in Settings)
            {
                foreach (var line in RunChild(setting))
                {
                    var parts = line.Split('=', 2);
                    if (parts.Length != 2) continue;
                    if (parts[0] == "device") device = parts[1];
                    else if (results[setting ?? "unset"].TryGetValue(parts[0], out var list))
                        list.Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
                }
            }
        }
        Console.WriteLine($"{device}; {rounds} rounds, settings alternating; per setting: best of the rounds / median of the rounds (ratio to unset, by medians)");
        Console.WriteLine("| workload | " + string.Join(" | ", Settings.Select(s => s == null ? "LP_NUM_THREADS unset" : $"LP_NUM_THREADS={s}")) + " |");
        Console.WriteLine("| --- |" + string.Concat(Settings.Select(_ => " ---: |")));
        foreach (var (name, description) in Workloads)
        {
            double baseline = Median(results["unset"][name]);
            var cells = Settings.Select(s =>
            {
                var values = results[s ?? "unset"][name];
                return values.Count == 0 ? "n/a" : $"{Format(values.Min())} / {Format(Median(values))} ({Median(values) / baseline:0.00}x)";
            });
            Console.WriteLine($"| {description} | {string.Join(" | ", cells)} |");
        }
    }

    /// <summary>In the child: opens the device (Mesa reads LP_NUM_THREADS now) and reports each workload's best time.</summary>
    public static void Child()
    {
        const int tinyN = 64, mediumN = 1 << 16, largeN = 1 << 22, repetitions = 5;
        using var device = ComputeDevice.OpenWebGpu();
        Console.WriteLine($"device={device.Description}");
        var random = new Random(1);
        using var tinyX = device.CreateBuffer<float>(tinyN);
        using var tinyY = device.CreateBuffer<float>(tinyN);
        using var mediumX = device.CreateBuffer<float>(Enumerable.Range(0, mediumN).Select(_ => (float)random.NextDouble()).ToArray());
        using var mediumY = device.CreateBuffer<float>(mediumN);
        using var largeX = device.CreateBuffer<float>(Enumerable.Range(0, largeN).Select(_ => (float)random.NextDouble() * 8 - 4).ToArray());
        using var largeY = device.CreateBuffer<float>(largeN);

        using var mlp = new MlpStep(device, random);
        var workloads = new Dictionary<string, Action>
        {
            ["one"] = () =>
            {
                ElementwiseKernels.SaxpyKernel.Dispatch(device, tinyN, tinyX, tinyY, 1f, (uint)tinyN);
                device.Synchronize();
            },
            ["tiny"] = () =>
            {
                using (device.BeginBatch())
                    for (int i = 0; i < 100; i++) ElementwiseKernels.SaxpyKernel.Dispatch(device, tinyN, tinyX, tinyY, 1f, (uint)tinyN);
                device.Synchronize();
            },
            ["submits"] = () =>
            {
                for (int i = 0; i < 100; i++) ElementwiseKernels.SaxpyKernel.Dispatch(device, tinyN, tinyX, tinyY, 1f, (uint)tinyN);
                device.Synchronize();
            },
            ["medium"] = () =>
            {
                using (device.BeginBatch())
                    for (int i = 0; i < 100; i++) ElementwiseKernels.SaxpyKernel.Dispatch(device, mediumN, mediumX, mediumY, 0.5f, (uint)mediumN);
                device.Synchronize();
            },
            ["large"] = () =>
            {
                ElementwiseKernels.SmoothClampKernel.Dispatch(device, largeN, largeX, largeY, 3f, (uint)largeN);
                device.Synchronize();
            },
            ["mlp"] = () =>
            {
                for (int step = 0; step < 10; step++) mlp.Step();
                device.Synchronize();
            },
        };
        foreach (var (name, workload) in workloads)
        {
            workload(); // warm-up: pipeline, caches
            double best = double.MaxValue;
            for (int r = 0; r < (name == "one" ? 20 : repetitions); r++)
            {
                long start = Stopwatch.GetTimestamp();
                workload();
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
            Console.WriteLine(FormattableString.Invariant($"{name}={best}"));
        }
    }

    private static IEnumerable<string> RunChild(string? threads)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path to start a child from.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(LavapipeSweep).Assembly.Location);
        start.ArgumentList.Add(ChildArgument);
        start.Environment.Remove("LP_NUM_THREADS");
        if (threads != null) start.Environment["LP_NUM_THREADS"] = threads;
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"The LP_NUM_THREADS={threads ?? "unset"} child failed ({child.ExitCode}).");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static string Format(double microseconds) =>
        microseconds >= 1000 ? $"{microseconds / 1000:0.00} ms" : $"{microseconds:0} µs";

    private static double Median(List<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>
    /// One SGD step of a 784-128-10 perceptron on a batch of 64 with the models' kernels (Ops.Matmul with bias,
    /// Ops.Activate, Ops.ActivationBackward, Ops.Axpby), the output gradient given: the shape of a small model's
    /// training step, 9 dispatches of mixed sizes in one batch.
    /// </summary>
    private sealed class MlpStep : IDisposable
    {
        private const int Batch = 64, In = 784, Hidden = 128, Out = 10;
        private readonly ComputeDevice device;
        private readonly GpuBuffer<float> x, w1, b1, z1, h, w2, b2, logits, dLogits, dW2, dH, dZ1, dW1;

        public MlpStep(ComputeDevice device, Random random)
        {
            this.device = device;
            GpuBuffer<float> Random(int n, float scale) =>
                device.CreateBuffer<float>(Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray());
            x = Random(Batch * In, 1);
            w1 = Random(In * Hidden, 0.05f);
            b1 = Random(Hidden, 0.01f);
            w2 = Random(Hidden * Out, 0.1f);
            b2 = Random(Out, 0.01f);
            dLogits = Random(Batch * Out, 0.1f);
            z1 = device.CreateBuffer<float>(Batch * Hidden);
            h = device.CreateBuffer<float>(Batch * Hidden);
            logits = device.CreateBuffer<float>(Batch * Out);
            dW2 = device.CreateBuffer<float>(Hidden * Out);
            dH = device.CreateBuffer<float>(Batch * Hidden);
            dZ1 = device.CreateBuffer<float>(Batch * Hidden);
            dW1 = device.CreateBuffer<float>(In * Hidden);
        }

        public void Step()
        {
            using var batch = device.BeginBatch();
            Ops.Matmul(device, x, w1, z1, Batch, Hidden, In, new MatmulOptions { Bias = b1 });
            Ops.Activate(device, ActivationKind.Relu, z1, h, Batch * Hidden);
            Ops.Matmul(device, h, w2, logits, Batch, Out, Hidden, new MatmulOptions { Bias = b2 });
            Ops.Matmul(device, h, dLogits, dW2, Hidden, Out, Batch, new MatmulOptions { TransposeA = true });
            Ops.Matmul(device, dLogits, w2, dH, Batch, Hidden, Out, new MatmulOptions { TransposeB = true });
            Ops.ActivationBackward(device, ActivationKind.Relu, z1, dH, dZ1, Batch * Hidden);
            Ops.Matmul(device, x, dZ1, dW1, In, Hidden, Batch, new MatmulOptions { TransposeA = true });
            Ops.Axpby(device, dW1, w1, -0.01f, 1f, In * Hidden);
            Ops.Axpby(device, dW2, w2, -0.01f, 1f, Hidden * Out);
        }

        public void Dispose()
        {
            foreach (var buffer in new[] { x, w1, b1, z1, h, w2, b2, logits, dLogits, dW2, dH, dZ1, dW1 }) buffer.Dispose();
        }
    }
}
