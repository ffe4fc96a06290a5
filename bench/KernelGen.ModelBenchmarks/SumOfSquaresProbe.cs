using System.Diagnostics;
using KernelGen.Models.Kernels;

namespace KernelGen.ModelBenchmarks;

/// <summary>
/// <c>-- sumsq [rounds]</c>: the gradient-norm reduction the library's step adds (<see cref="Ops.SumOfSquares"/> of
/// the MLP's fc1.weight gradient, 128 x 784) as the library launches it (ceil(n / 256) partial sums: 392, two
/// workgroups) against the same two kernels launched with 4096 partials (16 workgroups), interleaved, each timed
/// as 20 reductions in one batch. A probe of a possible fix; the library is not changed.
/// </summary>
public static class SumOfSquaresProbe
{
    public static void Run(int rounds)
    {
        const int n = 128 * 784;
        foreach (var open in new Func<ComputeDevice>[] { () => ComputeDevice.OpenCpu(), () => ComputeDevice.OpenWebGpu() })
        {
            using var device = open();
            var random = new Random(1);
            using var x = device.CreateBuffer<float>(Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray());
            using var output = device.CreateBuffer<float>(1);
            using var scratch = device.CreateBuffer<float>(ReductionKernels.MaxPartials);
            void Wide()
            {
                uint partials = ReductionKernels.MaxPartials;
                ReductionKernels.SumOfSquaresPartialsKernel.Dispatch(device, partials, x, scratch, (uint)n, partials);
                ReductionKernels.SumOfSquaresFinishKernel.Dispatch(device, new Grid(ReductionKernels.FinishSize), scratch, output, partials, false, 0f);
            }
            var variants = new (string Name, Action Run)[]
            {
                ("Ops.SumOfSquares (392 partials)", () => Ops.SumOfSquares(device, x, output, n)),
                ("4096 partials", Wide),
            };
            var results = new List<double>[variants.Length];
            var values = new float[variants.Length];
            for (int i = 0; i < variants.Length; i++)
            {
                results[i] = [];
                variants[i].Run();
                values[i] = output.Read()[0];
            }
            for (int round = 0; round < rounds; round++)
                for (int j = 0; j < variants.Length; j++)
                {
                    int i = (round + j) % variants.Length;
                    var sw = Stopwatch.StartNew();
                    using (device.BeginBatch())
                        for (int r = 0; r < 20; r++) variants[i].Run();
                    output.Read();
                    results[i].Add(sw.Elapsed.TotalMilliseconds / 20);
                }
            Console.WriteLine($"\n## sumsq: n = {n}; {device.Description}; {rounds} rounds of 20 in one batch");
            Console.WriteLine("| launch | median ms per reduction | ratio | value |");
            Console.WriteLine("|---|---:|---:|---:|");
            double baseline = Program.Median(results[0]);
            for (int i = 0; i < variants.Length; i++)
                Console.WriteLine($"| {variants[i].Name} | {Program.Median(results[i]):F3} | {Program.Median(results[i]) / baseline:F2} | {values[i]:F3} |");
        }
    }
}
