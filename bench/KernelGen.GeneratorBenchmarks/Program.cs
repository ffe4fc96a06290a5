using System.Globalization;
using BenchmarkDotNet.Running;

namespace KernelGen.GeneratorBenchmarks;

/// <summary>
/// Generator cost benchmarks; see docs/benchmarks-generator.md.
/// <list type="bullet">
/// <item><c>build [--repeats N] [--configuration C] [--keep] [--generator-cache]</c>: real <c>dotnet build</c> runs of a temporary project of 200 kernels.</item>
/// <item><c>steps [N]</c>: the generator's incremental steps, timed, next to the compiler's Emit.</item>
/// <item><c>corpus DIR</c>: writes the benchmark project's sources to DIR, and what the generator makes of them to DIR/generated.</item>
/// <item>anything else: BenchmarkDotNet (<c>--filter '*'</c>).</item>
/// </list>
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args)
        {
            case ["build", ..]:
                return RealBuilds.Run(args[1..]);
            case ["steps", ..]:
                StepProfile.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10);
                return 0;
            case ["corpus", var dir]:
                Directory.CreateDirectory(dir);
                foreach (var (name, text) in KernelCorpus.Sources()) File.WriteAllText(Path.Combine(dir, name), text);
                var driver = InMemoryProject.CreateDriver().RunGenerators(InMemoryProject.Compilation(new InMemoryProject().OriginalTrees));
                Directory.CreateDirectory(Path.Combine(dir, "generated"));
                foreach (var source in driver.GetRunResult().Results[0].GeneratedSources)
                    File.WriteAllText(Path.Combine(dir, "generated", source.HintName), source.SourceText.ToString());
                return 0;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
