using BenchmarkDotNet.Running;

namespace KernelGen.KernelBenchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/KernelGen.KernelBenchmarks -- --filter '*' --job short</c>; see
/// docs/benchmarks-kernels.md for what each benchmark measures and the figures of the last run.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "probe")
        {
            Probe.Run(args);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
