using BenchmarkDotNet.Running;

namespace KernelGen.CpuBenchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/KernelGen.CpuBenchmarks -- --filter '*' --job short</c>: KernelGen's CPU
/// backend against ILGPU's CPU accelerator on saxpy, a naive and a 16 x 16 tiled matmul, then one combined table
/// (time, GFLOP/s, speedup over ILGPU). <c>-- probe ...</c> is a quick stopwatch look (see <see cref="Probe"/>);
/// <c>-- interleaved [rounds]</c> alternates the two in one process for ratios under the same load (see <see cref="Interleaved"/>);
/// <c>-- lockstep [rounds]</c> times hand-written forms of the naive matmul's work-group loop (see <see cref="LockstepProbe"/>).
/// Figures and the machine they came from: docs/benchmarks-cpu.md.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["probe", ..])
        {
            Probe.Run(args[1..]);
            return;
        }
        if (args is ["lockstep", ..])
        {
            LockstepProbe.Run(args[1..]);
            return;
        }
        if (args is ["interleaved", ..])
        {
            Interleaved.Run(args[1..]);
            return;
        }
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, CpuBenchmarkConfig.Create());
        CombinedReport.Write(summaries);
    }
}
