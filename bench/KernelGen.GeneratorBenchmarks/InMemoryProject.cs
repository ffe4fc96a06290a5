using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace KernelGen.GeneratorBenchmarks;

/// <summary>
/// The benchmark project in memory: the corpus parsed once, compilations made the way csc makes them (a fresh
/// compilation per build, the generator's trees added to it, emitted with a portable PDB), and the generator driver.
/// The three states: the original project, after the one-line kernel edit, after the one-line unrelated edit.
/// </summary>
public sealed class InMemoryProject
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions CompilationOptions = new(OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Debug, deterministic: true);

    // What the SDK's ImplicitUsings gives a class library.
    private const string ImplicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.IO;\n" +
        "global using System.Linq;\nglobal using System.Net.Http;\nglobal using System.Threading;\nglobal using System.Threading.Tasks;\n";

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(() =>
    {
        // What csc gets in a real build: the SDK's reference pack of the running framework version (offline), plus the
        // runtime for [ComputeKernel] and the buffer types. Falls back to the running framework's own assemblies.
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;          // .../shared/Microsoft.NETCore.App/10.0.x
        var version = Path.GetFileName(framework);
        var root = Path.GetFullPath(Path.Combine(framework, "..", "..", ".."));
        var refPack = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref", version, "ref", "net" + Environment.Version.ToString(2));
        var dir = Directory.Exists(refPack) ? refPack : framework;
        var paths = Directory.GetFiles(dir, "*.dll")
            .Where(p => dir == refPack || Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) ||
                        Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(ComputeKernelAttribute).Assembly.Location);
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    /// <summary>Where the framework references come from (for the report).</summary>
    public static string ReferenceSource => Path.GetDirectoryName(References[0].Display)!;

    public enum State { Original, KernelEdit, UnrelatedEdit }

    public IReadOnlyList<(string Name, string Text)> Sources { get; }

    /// <summary>The parsed trees of each state; unchanged files share the same tree objects, as in an IDE.</summary>
    public ImmutableArray<SyntaxTree> OriginalTrees { get; }
    public ImmutableArray<SyntaxTree> KernelEditTrees { get; }
    public ImmutableArray<SyntaxTree> UnrelatedEditTrees { get; }

    public InMemoryProject()
    {
        Sources = KernelCorpus.Sources().Append(("ImplicitUsings.g.cs", ImplicitUsings)).ToList();
        OriginalTrees = Sources.Select(s => Parse(s.Name, s.Text)).ToImmutableArray();
        KernelEditTrees = Replace(OriginalTrees, KernelCorpus.EditedKernelFile,
            KernelCorpus.EditKernel(Text(KernelCorpus.EditedKernelFile), 1));
        UnrelatedEditTrees = Replace(OriginalTrees, KernelCorpus.UnrelatedFile, KernelCorpus.EditUnrelated(1));
    }

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public string Text(string name) => Sources.Single(s => s.Name == name).Text;

    public ImmutableArray<SyntaxTree> Trees(State state) => state switch
    {
        State.Original => OriginalTrees,
        State.KernelEdit => KernelEditTrees,
        _ => UnrelatedEditTrees,
    };

    public static SyntaxTree Parse(string name, string text) =>
        CSharpSyntaxTree.ParseText(text, ParseOptions, path: "/bench/" + name, encoding: System.Text.Encoding.UTF8);

    private ImmutableArray<SyntaxTree> Replace(ImmutableArray<SyntaxTree> trees, string name, string text)
    {
        int index = Sources.Select((s, i) => (s, i)).Single(p => p.s.Name == name).i;
        return trees.SetItem(index, Parse(name, text));
    }

    /// <summary>Parses every file from its text, as csc does on every build.</summary>
    public ImmutableArray<SyntaxTree> ParseAll(State state)
    {
        var builder = ImmutableArray.CreateBuilder<SyntaxTree>(Sources.Count);
        foreach (var tree in Trees(state)) builder.Add(Parse(Path.GetFileName(tree.FilePath), tree.GetText().ToString()));
        return builder.MoveToImmutable();
    }

    /// <summary>A fresh compilation (nothing bound yet), as csc creates one per build.</summary>
    public static CSharpCompilation Compilation(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create("Bench", trees, References, CompilationOptions);

    public static GeneratorDriver CreateDriver(bool trackSteps = false) => CSharpGeneratorDriver.Create(
        new[] { new KernelGenerator().AsSourceGenerator() },
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Emits to memory streams with a portable PDB that embeds the generated sources, as csc does.</summary>
    public static EmitResult Emit(Compilation compilation, IEnumerable<SyntaxTree> generatedTrees)
    {
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var embedded = generatedTrees.Select(t => EmbeddedText.FromSource(t.FilePath, t.GetText())).ToList();
        return compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb),
            embeddedTexts: embedded);
    }

    /// <summary>The generated trees of a driver's last run, in order.</summary>
    public static ImmutableArray<SyntaxTree> GeneratedTrees(GeneratorDriver driver) =>
        driver.GetRunResult().GeneratedTrees;

    /// <summary>Checks the corpus: every kernel translates, nothing is reported, and the output compiles.</summary>
    public void Validate()
    {
        foreach (var state in new[] { State.Original, State.KernelEdit, State.UnrelatedEdit })
        {
            var compilation = Compilation(Trees(state));
            var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
            var run = driver.GetRunResult();
            if (run.Results.Any(r => r.Exception is not null))
                throw new InvalidOperationException("The generator threw: " + run.Results.First(r => r.Exception is not null).Exception);
            if (!diagnostics.IsEmpty)
                throw new InvalidOperationException($"{state}: generator diagnostics:\n" + string.Join("\n", diagnostics.Take(20)));
            // One file per kernel (two, a stub and a WGSL constant, before the generator merged them).
            if (run.GeneratedTrees.Length % KernelCorpus.KernelCount != 0 || run.GeneratedTrees.Length == 0)
                throw new InvalidOperationException($"{state}: {run.GeneratedTrees.Length} generated files for {KernelCorpus.KernelCount} kernels");
            var errors = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            if (errors.Count > 0)
                throw new InvalidOperationException($"{state}: compilation diagnostics:\n" + string.Join("\n", errors.Take(20)));
        }
    }
}
