using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.CodeAnalysis;

namespace KernelGen.GeneratorBenchmarks;

/// <summary>
/// The generator against the C# compiler's own work on the same 200-kernel compilation, in one BenchmarkDotNet run,
/// for three states:
/// <list type="bullet">
/// <item><c>FirstRun</c>: a fresh generator driver, as every command-line build (csc keeps no driver unless
/// <c>/features:enable-generator-cache</c> and the compiler server are both on).</item>
/// <item><c>KernelEdit</c>: the driver of the original state reused after a one-line edit to one kernel (that file's
/// tree replaced, the others the same objects), as an IDE does on a keystroke.</item>
/// <item><c>UnrelatedEdit</c>: likewise after a one-line edit to a file without kernels.</item>
/// </list>
/// <c>Build</c> (the baseline) is the whole in-memory equivalent of csc: parse every file, run the generator, emit the
/// compilation with the generated trees (PE + portable PDB embedding the generated sources); its Ratio column is
/// therefore each part's share of the build. <c>Compiler</c> is the Emit alone; <c>CompilerWithoutGeneratedCode</c>
/// emits the same project without the generator's files (the kernels do not call their stubs), so Compiler minus it
/// is what compiling the generated code costs. Every compilation is fresh (nothing bound yet), as in csc.
/// </summary>
[Config(typeof(ShortConfig))]
[MemoryDiagnoser]
public class GeneratorVsCompiler
{
    /// <summary>A short job for a small noisy machine: one launch, 2 warm-ups, 7 measured single invocations.</summary>
    private sealed class ShortConfig : ManualConfig
    {
        public ShortConfig()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(7)
                .WithInvocationCount(1).WithUnrollFactor(1).WithId("short"));
            WithOptions(ConfigOptions.JoinSummary);
        }
    }

    public enum Scenario { FirstRun, KernelEdit, UnrelatedEdit }

    [Params(Scenario.FirstRun, Scenario.KernelEdit, Scenario.UnrelatedEdit)]
    public Scenario State { get; set; }

    private InMemoryProject _project = null!;
    private InMemoryProject.State _state;
    private ImmutableArray<SyntaxTree> _trees;
    private ImmutableArray<SyntaxTree> _generated;
    private GeneratorDriver _warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        _project = new InMemoryProject(); // the full corpus check is the steps command's (Validate); here: counts, and it builds
        _state = State switch
        {
            Scenario.FirstRun => InMemoryProject.State.Original,
            Scenario.KernelEdit => InMemoryProject.State.KernelEdit,
            _ => InMemoryProject.State.UnrelatedEdit,
        };
        _trees = _project.Trees(_state);
        _warmDriver = InMemoryProject.CreateDriver().RunGenerators(InMemoryProject.Compilation(_project.OriginalTrees));
        _generated = InMemoryProject.GeneratedTrees(Generate());
        if (_generated.Length != 2 * KernelCorpus.KernelCount)
            throw new InvalidOperationException($"{_generated.Length} generated files, expected {2 * KernelCorpus.KernelCount}");
        if (!Build()) throw new InvalidOperationException("The benchmark project does not compile");
    }

    /// <summary>
    /// Untimed: the generator's kernel cache as the scenario needs it: empty for a first run, else holding the original
    /// state only (it is keyed by content, so the edited kernel a previous iteration stored would be a hit).
    /// </summary>
    [IterationSetup]
    public void SetUpCache()
    {
        GeneratorCache.Clear();
        if (State != Scenario.FirstRun) InMemoryProject.CreateDriver().RunGenerators(InMemoryProject.Compilation(_project.OriginalTrees));
    }

    private GeneratorDriver Generate()
    {
        var driver = State == Scenario.FirstRun ? InMemoryProject.CreateDriver() : _warmDriver;
        return driver.RunGenerators(InMemoryProject.Compilation(_trees));
    }

    [Benchmark(Baseline = true, Description = "Build = parse + generator + Emit")]
    public bool Build()
    {
        _ = _project.ParseAll(_state);
        var driver = State == Scenario.FirstRun ? InMemoryProject.CreateDriver() : _warmDriver;
        driver = driver.RunGeneratorsAndUpdateCompilation(InMemoryProject.Compilation(_trees), out var output, out _);
        return InMemoryProject.Emit(output, InMemoryProject.GeneratedTrees(driver)).Success;
    }

    [Benchmark(Description = "Generator (RunGenerators)")]
    public GeneratorDriver Generator() => Generate();

    [Benchmark(Description = "Compiler (Emit with generated code)")]
    public bool Compiler() =>
        InMemoryProject.Emit(InMemoryProject.Compilation(_trees.AddRange(_generated)), _generated).Success;

    [Benchmark(Description = "Compiler (Emit without generated code)")]
    public bool CompilerWithoutGeneratedCode() =>
        InMemoryProject.Emit(InMemoryProject.Compilation(_trees), Array.Empty<SyntaxTree>()).Success;
}
