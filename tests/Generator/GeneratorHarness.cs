using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelGen.Generator.Tests;

/// <summary>Runs the generator in memory over C# source, offline, with the running process's own references.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(ComputeKernelAttribute).Assembly.Location);
        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public sealed record Result(
        GeneratorDriver Driver,
        GeneratorDriverRunResult Run,
        Compilation Output,
        ImmutableArray<Diagnostic> GeneratorDiagnostics)
    {
        /// <summary>Generated files by hint name.</summary>
        public IReadOnlyDictionary<string, string> Files =>
            Run.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        /// <summary>The generated file of a kernel (WGSL, Info and stub) by its qualified name: <c>Ns.Class.Method</c>.</summary>
        public string File(string kernel) =>
            Files.Single(f => f.Key.StartsWith(kernel + ".", StringComparison.Ordinal) && f.Key.EndsWith(KernelGenerator.KernelFileSuffix, StringComparison.Ordinal)
                              && f.Key.Count(c => c == '.') == kernel.Count(c => c == '.') + 4).Value;

        /// <summary>Errors of the compilation after generation: generated code must never add any.</summary>
        public IReadOnlyList<Diagnostic> CompilationErrors =>
            Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    // What the SDK's ImplicitUsings gives a project, so repository files compile here as they do in the build.
    private const string ImplicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.Linq;\n";

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "UserKernels",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Kernels{i}.cs"))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, path: "ImplicitUsings.cs")),
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new KernelGenerator().AsSourceGenerator() },
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static Result Run(params string[] sources) => Run(CreateDriver(), Compile(sources));

    public static Result Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var run = driver.GetRunResult();
        foreach (var result in run.Results)
            if (result.Exception is not null) throw new InvalidOperationException("The generator threw", result.Exception);
        return new Result(driver, run, output, diagnostics);
    }

    /// <summary>The source of a file of the repository, for tests that generate from the real kernels.</summary>
    public static string RepositoryFile(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relativePath);
            if (File.Exists(candidate)) return File.ReadAllText(candidate);
        }
        throw new FileNotFoundException($"Could not find {relativePath} above {AppContext.BaseDirectory}.");
    }
}
