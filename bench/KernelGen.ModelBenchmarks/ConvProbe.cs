using System.Diagnostics;
using KernelGen.Models.Kernels;

namespace KernelGen.ModelBenchmarks;

/// <summary>
/// <c>-- conv [rounds] [reps] [filter]</c>: Ops.Conv2d, Ops.Conv2dBackward (dx alone, dw + dbias alone, as the tensor
/// library calls them) and max pooling forward/backward at the CNN's and the deep CNN's layer shapes (batch 64), each
/// conv variant (<see cref="ConvVariant.Direct"/>, <see cref="ConvVariant.Im2Col"/>, <see cref="ConvVariant.Blocked"/>)
/// on both backends, interleaved round by round (the order rotating), each timing <c>reps</c> launches in one batch.
/// <c>filter</c> keeps the rows whose name contains it.
/// </summary>
public static class ConvProbe
{
    private static readonly (string Name, Conv2dShape Shape)[] Convs =
    [
        ("cnn.conv1 1->16 5x5 p2 28", new(64, 1, 28, 28, 16, 5, 5, 1, 1, 2, 2)),
        ("cnn.conv2 16->32 5x5 p2 14", new(64, 16, 14, 14, 32, 5, 5, 1, 1, 2, 2)),
        ("deep.stem 1->16 3x3 p1 28", new(64, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1)),
        ("deep.s1 16->16 3x3 p1 28", new(64, 16, 28, 28, 16, 3, 3, 1, 1, 1, 1)),
        ("deep.s2a 16->32 3x3 s2 p1 28", new(64, 16, 28, 28, 32, 3, 3, 2, 2, 1, 1)),
        ("deep.s2sc 16->32 1x1 s2 28", new(64, 16, 28, 28, 32, 1, 1, 2, 2, 0, 0)),
        ("deep.s2 32->32 3x3 p1 14", new(64, 32, 14, 14, 32, 3, 3, 1, 1, 1, 1)),
        ("deep.s3a 32->64 3x3 s2 p1 14", new(64, 32, 14, 14, 64, 3, 3, 2, 2, 1, 1)),
        ("deep.s3 64->64 3x3 p1 7", new(64, 64, 7, 7, 64, 3, 3, 1, 1, 1, 1)),
    ];

    private static readonly (string Name, Pool2dShape Shape)[] Pools =
    [
        ("cnn.pool1 16x28x28", Pool2dShape.Square(64, 16, 28, 28, 2)),
        ("cnn.pool2 32x14x14", Pool2dShape.Square(64, 32, 14, 14, 2)),
    ];

    public static void Run(int rounds, int reps, string filter, string variants)
    {
        // "Before" is Auto with Ops.LegacyConv (the old chooser and kernels), "After" is Auto; others name a ConvVariant.
        var kinds = variants.Split(',').Select(v => v switch
        {
            "Before" => (v, ConvVariant.Auto, true),
            "After" => (v, ConvVariant.Auto, false),
            _ => (v, Enum.Parse<ConvVariant>(v), false),
        }).ToArray();
        foreach (var open in new Func<ComputeDevice>[] { () => ComputeDevice.OpenCpu(), () => ComputeDevice.OpenWebGpu() })
        {
            using var device = open();
            using var pool = new BufferPool(device);
            var random = new Random(1);
            var buffers = new List<GpuBuffer>();
            GpuBuffer<float> Random(long n)
            {
                var b = device.CreateBuffer<float>(Enumerable.Range(0, (int)n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
                buffers.Add(b);
                return b;
            }
            var rows = new List<(string Name, Action Run, GpuBuffer<float> Out)>();
            foreach (var (name, s) in Convs)
            {
                var x = Random(s.InputSize);
                var w = Random(s.WeightSize);
                var bias = Random(s.OutChannels);
                var dy = Random(s.OutputSize);
                var y = Random(s.OutputSize);
                var dx = Random(s.InputSize);
                var dw = Random(s.WeightSize);
                var db = Random(s.OutChannels);
                foreach (var (label, v, legacy) in kinds)
                {
                    rows.Add(($"{name} fwd {label}", Legacy(legacy, () => Ops.Conv2d(device, x, w, bias, y, s, v, pool)), y));
                    rows.Add(($"{name} dx {label}", Legacy(legacy, () => Ops.Conv2dBackward(device, x, w, dy, dx, null, null, s, 1f, v, pool)), dx));
                    rows.Add(($"{name} dw+db {label}", Legacy(legacy, () => Ops.Conv2dBackward(device, x, w, dy, null, dw, db, s, 1f, v, pool)), dw));
                }
            }
            foreach (var (name, s) in Pools)
            {
                var x = Random(s.InputSize);
                var y = Random(s.OutputSize);
                var dy = Random(s.OutputSize);
                var dx = Random(s.InputSize);
                var argmax = device.CreateBuffer<int>((int)s.OutputSize);
                buffers.Add(argmax);
                rows.Add(($"{name} maxpool fwd", () => Ops.MaxPool2d(device, x, y, argmax, s), y));
                rows.Add(($"{name} maxpool bwd before", Legacy(true, () => Ops.MaxPool2dBackward(device, dy, argmax, dx, s, 1f)), dx));
                rows.Add(($"{name} maxpool bwd after", () => Ops.MaxPool2dBackward(device, dy, argmax, dx, s, 1f), dx));
                Ops.MaxPool2d(device, x, y, argmax, s);
            }
            rows = rows.Where(r => r.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
            var times = rows.Select(_ => new List<double>()).ToArray();
            foreach (var r in rows) { r.Run(); r.Out.Slice(0, 1).ReadAsync().GetAwaiter().GetResult(); }
            for (int round = 0; round < rounds; round++)
                for (int j = 0; j < rows.Count; j++)
                {
                    int i = (round + j) % rows.Count;
                    var sw = Stopwatch.StartNew();
                    using (device.BeginBatch())
                        for (int k = 0; k < reps; k++) rows[i].Run();
                    rows[i].Out.Slice(0, 1).ReadAsync().GetAwaiter().GetResult();
                    times[i].Add(sw.Elapsed.TotalMilliseconds / reps);
                }
            Console.WriteLine($"\n## conv: {device.Description}; {rounds} rounds of {reps} in one batch; loadavg {Program.LoadAverage()}");
            Console.WriteLine("| op | median ms | min |");
            Console.WriteLine("|---|---:|---:|");
            for (int i = 0; i < rows.Count; i++)
                Console.WriteLine($"| {rows[i].Name} | {Program.Median(times[i]):F2} | {times[i].Min():F2} |");
            foreach (var b in buffers) b.Dispose();
        }
    }

    private static Action Legacy(bool legacy, Action run) => !legacy ? run : () =>
    {
        Ops.LegacyConv = true;
        try { run(); }
        finally { Ops.LegacyConv = false; }
    };

    /// <summary>A step recorded with <see cref="Ops.LegacyConv"/> set (the routes and kernels before the blocked ones).</summary>
    public sealed class LegacyStep(IStep inner) : IStep
    {
        public string Name => inner.Name + " (before)";

        public int Dispatches => inner.Dispatches;

        public void Record() => Legacy(true, inner.Record)();

        public float Read() => inner.Read();

        public void Dispose() => inner.Dispose();
    }
}
