using BenchmarkDotNet.Running;

namespace KernelGen.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/KernelGen.Benchmarks -- --filter '*' --job short</c>; see
/// docs/benchmarks-runtime.md for what each benchmark measures and the figures of the last run.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["overhead-ab", ..])
        {
            InterleavedOverhead.Run(args.Length > 1 ? int.Parse(args[1]) : 200);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
