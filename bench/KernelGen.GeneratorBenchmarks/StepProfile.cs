using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace KernelGen.GeneratorBenchmarks;

/// <summary>
/// <c>steps</c>: where the generator's time goes. Runs the driver with step tracking in five scenarios (a first run with
/// an empty kernel cache; a kernel edit and an unrelated edit with the previous state's driver, as an IDE; the same
/// edits with a fresh driver and reparsed files but the cache left by the previous build, as the compiler server) and
/// sums each step's <see cref="IncrementalGeneratorRunStep.ElapsedTime"/> (the generator's "Kernels" transform, which is
/// the cache plus KernelAnalyzer.Analyze per kernel, and the source output step, which is the WGSL and stub emitters),
/// next to the driver's own timing, the kernels really analysed, and the C# compiler's Emit. For the first run it also
/// repeats on their own the Roslyn calls an analysis used to make (GetDiagnostics over the method's span and class
/// headers) and still makes (GetOperation), to split binding done on the generator's behalf from its own lowering.
/// Scenarios are interleaved within each repeat (so a noisy spell hits all of them), after two warm-up rounds (JIT).
/// Wall times come with the process's CPU time (all threads: Emit and even a span's GetDiagnostics hand work to the
/// thread pool, so this thread's own CPU time would miss it).
/// </summary>
public static class StepProfile
{
    private const string Parse = "parse all sources (as csc does)";
    private const string Generator = "generator: RunGenerators";
    private const string DriverTiming = "generator: driver's own timing";
    private const string Emit = "compiler: Emit with generated code";
    private const string EmitPlain = "compiler: Emit without generated code";
    private const string EmitWgslOnly = "compiler: Emit with the WGSL constants only";
    private const string EmitNoNullable = "compiler: Emit with generated code, stubs #nullable disable";
    private const string EmitNoCpuPath = "compiler: Emit with generated code, CPU-backend path emptied";
    private const string EmitNoMethods = "compiler: Emit with generated code, CPU path and Dispatch emptied";
    private const string RoslynDiagnostics = "Roslyn alone: GetDiagnostics(kernel span) x200";
    private const string RoslynHeader = "Roslyn alone: GetDiagnostics(class header span) x200";
    private const string RoslynOperation = "Roslyn alone: GetOperation(kernel) x200";

    /// <summary>A situation the generator runs in: which state's code, which driver, and what the kernel cache holds.</summary>
    private sealed record Scenario(string Name, InMemoryProject.State State, bool WarmDriver, bool EmptyCache, bool Reparse, bool Full)
    {
        public override string ToString() => Name;
    }

    private static readonly Scenario[] Scenarios =
    {
        new("FirstRun: fresh driver, empty cache (a build without the compiler server, or the server's first)",
            InMemoryProject.State.Original, WarmDriver: false, EmptyCache: true, Reparse: true, Full: true),
        new("KernelEdit, IDE: the original state's driver, cache as after it",
            InMemoryProject.State.KernelEdit, WarmDriver: true, EmptyCache: false, Reparse: false, Full: false),
        new("UnrelatedEdit, IDE: the original state's driver, cache as after it",
            InMemoryProject.State.UnrelatedEdit, WarmDriver: true, EmptyCache: false, Reparse: false, Full: false),
        new("KernelEdit, server rebuild: fresh driver, every file parsed again, cache as after the original state",
            InMemoryProject.State.KernelEdit, WarmDriver: false, EmptyCache: false, Reparse: true, Full: false),
        new("UnrelatedEdit, server rebuild: fresh driver, every file parsed again, cache as after the original state",
            InMemoryProject.State.UnrelatedEdit, WarmDriver: false, EmptyCache: false, Reparse: true, Full: false),
    };

    public static void Run(int repeats)
    {
        var project = new InMemoryProject();
        project.Validate();
        Console.WriteLine($"Corpus: {KernelCorpus.KernelCount} kernels in {KernelCorpus.Files} files, references from {InMemoryProject.ReferenceSource}");
        Console.WriteLine($"Microsoft.CodeAnalysis {typeof(Compilation).Assembly.GetName().Version}, {Environment.ProcessorCount} cores, " +
                          $"generator {(GeneratorCache.Exists ? "with" : "without")} a kernel cache");
        Console.WriteLine($"Repeats: {repeats} per scenario, interleaved, after two warm-up rounds; medians [min-max] in ms.\n");

        var warmDriver = InMemoryProject.CreateDriver(trackSteps: true)
            .RunGenerators(InMemoryProject.Compilation(project.OriginalTrees));
        var samples = Scenarios.ToDictionary(s => s, _ => new List<Dictionary<string, double>>());
        for (int r = -2; r < repeats; r++)
        {
            foreach (var scenario in Scenarios)
            {
                // Untimed: the cache as the scenario needs it. The cache is keyed by content, so an edited kernel stored
                // by an earlier scenario would be a hit: start from empty, then from the original state.
                GeneratorCache.Clear();
                if (!scenario.EmptyCache)
                    InMemoryProject.CreateDriver().RunGenerators(InMemoryProject.Compilation(project.ParseAll(InMemoryProject.State.Original)));
                var row = Measure(project, scenario, warmDriver);
                if (r >= 0) samples[scenario].Add(row);
            }
            Console.Error.Write(r < 0 ? "w" : ".");
        }
        Console.Error.WriteLine();

        foreach (var scenario in Scenarios)
        {
            var rows = samples[scenario];
            Console.WriteLine($"== {scenario.Name}");
            foreach (var key in rows[0].Keys)
            {
                var values = rows.Select(s => s.TryGetValue(key, out var v) ? v : 0).OrderBy(v => v).ToList();
                if (key.Contains("step ", StringComparison.Ordinal) && values[^1] < 0.05) continue; // FAWMN plumbing: nothing to see
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-58} {1,9:0.0}  [{2:0.0}-{3:0.0}]",
                    key, values[values.Count / 2], values[0], values[^1]));
            }
            double Med(string key) => Median(rows, key);
            double Share(string suffix) => Med(Generator + suffix) / (Med(Parse + suffix) + Med(Generator + suffix) + Med(Emit + suffix)) * 100;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  generator's share of parse + generator + Emit (medians): {0:0.0} % wall, {1:0.0} % CPU; generated code adds {2:0} ms CPU to Emit",
                Share(""), Share(", CPU"), Med(Emit + ", CPU") - Med(EmitPlain + ", CPU")));
            Console.WriteLine();
        }
    }

    private static Dictionary<string, double> Measure(InMemoryProject project, Scenario scenario, GeneratorDriver warmDriver)
    {
        var row = new Dictionary<string, double>();
        var state = scenario.State;
        var sw = Stopwatch.StartNew();
        double cpu = ProcessCpu();
        var parsed = project.ParseAll(state);
        row[Parse] = sw.Elapsed.TotalMilliseconds;
        row[Parse + ", CPU"] = ProcessCpu() - cpu;

        // Command-line builds start from a fresh driver and newly parsed trees every time; an IDE runs the previous
        // state's driver on the new compilation, where unchanged files keep their tree objects.
        var trees = scenario.Reparse ? parsed : project.Trees(state);
        var compilation = InMemoryProject.Compilation(trees);
        var driver = scenario.WarmDriver ? warmDriver : InMemoryProject.CreateDriver(trackSteps: true);
        int analysedBefore = GeneratorCache.Analysed;
        sw.Restart();
        cpu = ProcessCpu();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        row[Generator] = sw.Elapsed.TotalMilliseconds;
        row[Generator + ", CPU"] = ProcessCpu() - cpu;
        row[DriverTiming] = driver.GetTimingInfo().ElapsedTime.TotalMilliseconds;
        var result = driver.GetRunResult().Results[0];
        foreach (var (name, steps) in result.TrackedSteps)
            row["  step " + name] = steps.Sum(s => s.ElapsedTime.TotalMilliseconds);
        foreach (var (name, steps) in result.TrackedOutputSteps)
            row["  output step " + name + " (emitters + AddSource)"] = steps.Sum(s => s.ElapsedTime.TotalMilliseconds);
        // The driver runs the transform for every kernel on any change; the cache decides which are really analysed.
        row["  kernel transforms run by the driver (count)"] = result.TrackedSteps.TryGetValue(KernelGenerator.KernelsStep, out var k)
            ? k.SelectMany(s => s.Outputs).Count(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified or IncrementalStepRunReason.Unchanged)
            : 0;
        if (GeneratorCache.Exists) row["  kernels really analysed, not from the cache (count)"] = GeneratorCache.Analysed - analysedBefore;
        row["  files emitted again (count)"] = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Count(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);

        // Emit of one variant of the project: wall and CPU time into the row; a variant that does not compile is a bug.
        void TimeEmit(string label, Compilation variant, IEnumerable<SyntaxTree> generated)
        {
            sw.Restart();
            var cpuBefore = ProcessCpu();
            var emitted = InMemoryProject.Emit(variant, generated);
            row[label] = sw.Elapsed.TotalMilliseconds;
            row[label + ", CPU"] = ProcessCpu() - cpuBefore;
            if (!emitted.Success) throw new InvalidOperationException("Emit failed: " + emitted.Diagnostics.First());
        }

        TimeEmit(Emit, output, result.GeneratedSources.Select(s => s.SyntaxTree));

        TimeEmit(EmitPlain, InMemoryProject.Compilation(trees), Array.Empty<SyntaxTree>());

        if (!scenario.Full) return row;

        // Which generated code costs the compiler: the WGSL constants alone compile (the stubs need them, not the
        // reverse). They are the .wgsl.g.cs files where the generator writes two files per kernel, else each kernel
        // file with everything but its constants removed.
        var wgslOnly = result.GeneratedSources.Any(g => g.HintName.EndsWith(".wgsl.g.cs", StringComparison.Ordinal))
            ? result.GeneratedSources.Where(g => g.HintName.EndsWith(".wgsl.g.cs", StringComparison.Ordinal)).Select(g => g.SyntaxTree).ToList()
            : result.GeneratedSources.Select(g => ConstantsOnly(g.SyntaxTree)).ToList();
        TimeEmit(EmitWgslOnly, InMemoryProject.Compilation(trees.AddRange(wgslOnly)), wgslOnly);

        // The same generated code with the stubs' "#nullable enable" turned off: how much of it is nullable analysis.
        var noNullable = result.GeneratedSources.Select(g => !g.HintName.EndsWith(".wgsl.g.cs", StringComparison.Ordinal)
            ? g.SyntaxTree.WithChangedText(SourceText.From(g.SourceText.ToString().Replace("#nullable enable", "#nullable disable", StringComparison.Ordinal), System.Text.Encoding.UTF8))
            : g.SyntaxTree).ToList();
        TimeEmit(EmitNoNullable, InMemoryProject.Compilation(trees.AddRange(noNullable)), noNullable);

        // The same generated code with the CPU backend's path emptied (RunOnCpu and the phased CpuWorkgroup methods
        // throw at once): how much of the stubs' cost is that path, and how much the WebGPU dispatch and Info.
        var noCpuPath = result.GeneratedSources.Select(g => Emptied(g.SyntaxTree, dispatchToo: false)).ToList();
        TimeEmit(EmitNoCpuPath, InMemoryProject.Compilation(trees.AddRange(noCpuPath)), noCpuPath);

        // ... and the Dispatch methods emptied as well: what is left is the classes, the constants and Info.
        var noMethods = result.GeneratedSources.Select(g => Emptied(g.SyntaxTree, dispatchToo: true)).ToList();
        TimeEmit(EmitNoMethods, InMemoryProject.Compilation(trees.AddRange(noMethods)), noMethods);

        // The Roslyn calls KernelAnalyzer.Analyze makes for each kernel, on a fresh compilation.
        var fresh = InMemoryProject.Compilation(trees);
        double diagnostics = 0, operations = 0, headers = 0, diagnosticsCpu = 0, operationsCpu = 0, headersCpu = 0;
        foreach (var tree in fresh.SyntaxTrees)
        {
            var model = fresh.GetSemanticModel(tree);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.AttributeLists.Count > 0))
            {
                sw.Restart();
                cpu = ProcessCpu();
                _ = model.GetDiagnostics(method.Span);
                diagnostics += sw.Elapsed.TotalMilliseconds;
                diagnosticsCpu += ProcessCpu() - cpu;
                foreach (var declaration in method.Ancestors().OfType<TypeDeclarationSyntax>())
                {
                    sw.Restart();
                    cpu = ProcessCpu();
                    _ = model.GetDiagnostics(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(declaration.SpanStart, declaration.OpenBraceToken.Span.End));
                    headers += sw.Elapsed.TotalMilliseconds;
                    headersCpu += ProcessCpu() - cpu;
                }
                sw.Restart();
                cpu = ProcessCpu();
                _ = model.GetOperation(method);
                operations += sw.Elapsed.TotalMilliseconds;
                operationsCpu += ProcessCpu() - cpu;
            }
        }
        row[RoslynDiagnostics] = diagnostics;
        row[RoslynDiagnostics + ", CPU"] = diagnosticsCpu;
        row[RoslynHeader] = headers;
        row[RoslynHeader + ", CPU"] = headersCpu;
        row[RoslynOperation] = operations;
        row[RoslynOperation + ", CPU"] = operationsCpu;
        return row;
    }

    private static double Median(List<Dictionary<string, double>> samples, string key)
    {
        var values = samples.Select(s => s.TryGetValue(key, out var v) ? v : 0).OrderBy(v => v).ToList();
        return values[values.Count / 2];
    }

    /// <summary>CPU time of this process, all threads (the compiler's Emit runs on several).</summary>
    private static double ProcessCpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    /// <summary>A generated file with every member removed but the <c>const</c> fields (and the classes around them).</summary>
    private static SyntaxTree ConstantsOnly(SyntaxTree tree)
    {
        var root = tree.GetRoot();
        var drop = root.DescendantNodes().OfType<MemberDeclarationSyntax>()
            .Where(m => m is not BaseNamespaceDeclarationSyntax and not ClassDeclarationSyntax &&
                        !(m is FieldDeclarationSyntax f && f.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.ConstKeyword)));
        return tree.WithRootAndOptions(root.RemoveNodes(drop, SyntaxRemoveOptions.KeepNoTrivia)!, tree.Options);
    }

    /// <summary>
    /// The generated file with the bodies of <c>RunOnCpu</c> and <c>CpuWorkgroup*</c> (and <c>Dispatch</c> when
    /// <paramref name="dispatchToo"/>) replaced by <c>throw null!;</c>.
    /// </summary>
    private static SyntaxTree Emptied(SyntaxTree tree, bool dispatchToo)
    {
        var root = tree.GetRoot();
        var methods = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.Identifier.ValueText == "RunOnCpu" || m.Identifier.ValueText.StartsWith("CpuWorkgroup", StringComparison.Ordinal) ||
                        (dispatchToo && m.Identifier.ValueText == "Dispatch"));
        var throwing = Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseStatement("throw null!;");
        var rewritten = root.ReplaceNodes(methods, (_, m) => m.WithExpressionBody(null).WithSemicolonToken(default)
            .WithBody(Microsoft.CodeAnalysis.CSharp.SyntaxFactory.Block(throwing)));
        return tree.WithRootAndOptions(rewritten, tree.Options);
    }
}
