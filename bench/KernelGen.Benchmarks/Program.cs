using BenchmarkDotNet.Running;

namespace KernelGen.Benchmarks;

/// <summary>
/// BenchmarkDotNet: <c>dotnet run -c Release --project bench/KernelGen.Benchmarks -- --filter '*' --job short</c>;
/// interleaved cross-checks for a noisy machine: <c>overhead-ab [rounds]</c>, <c>overhead-parts [rounds]</c> and
/// <c>lp-sweep [rounds]</c>. See
/// docs/benchmarks-runtime.md for what each measures and the figures of the last run.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is [LavapipeSweep.ChildArgument])
        {
            LavapipeSweep.Child();
            return;
        }
        if (args is ["lp-sweep", ..])
        {
            LavapipeSweep.Run(args.Length > 1 ? int.Parse(args[1]) : 5);
            return;
        }
        if (args is ["overhead-ab", ..])
        {
            InterleavedOverhead.Run(args.Length > 1 ? int.Parse(args[1]) : 200);
            return;
        }
        if (args is ["overhead-parts", ..])
        {
            OverheadParts.Run(args.Length > 1 ? int.Parse(args[1]) : 200);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
