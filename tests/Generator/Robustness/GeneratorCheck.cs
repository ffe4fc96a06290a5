using KernelGen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Generator.Tests.Robustness;

/// <summary>What running the generator over one corpus input gave, and which invariants it broke.</summary>
internal sealed record CorpusOutcome(CorpusInput Input, IReadOnlyList<string> Problems, IReadOnlyList<GeneratedShader> Shaders)
{
    /// <summary>A failure message with everything needed to reproduce it: the problems, then the input itself.</summary>
    public string Describe() =>
        $"[{Input.Name}]\n  " + string.Join("\n  ", Problems) + "\n  --- input ---\n" + Input.Source + "\n  --- end ---";
}

/// <summary>
/// Runs the generator over one input and checks what must hold for any input, however broken:
/// the generator does not throw and reports no internal error (KG9999); every file it adds compiles and adds no error
/// to the user's file (errors already in the user's code are fine); every kernel gets output or an error explaining
/// why (never silently nothing); its diagnostics point into the user's file; and a <see cref="Verdict.Rejected"/>
/// kernel gets no WGSL.
/// </summary>
internal static class GeneratorCheck
{
    public const string InputPath = "Input.cs";

    // One empty compilation whose references are already bound: adding a tree to it costs far less than a new
    // compilation per input. Unsafe code is allowed so that pointers reach the generator instead of stopping at CS0227.
    private static readonly Lazy<CSharpCompilation> Empty = new(() =>
    {
        var compilation = GeneratorHarness.Compile();
        compilation = compilation.WithOptions(compilation.Options.WithAllowUnsafe(true));
        _ = compilation.GetDiagnostics(); // binds the references once, before parallel use
        return compilation;
    });

    public static CorpusOutcome Run(CorpusInput input)
    {
        var problems = new List<string>();
        var tree = CSharpSyntaxTree.ParseText(input.Source, GeneratorHarness.ParseOptions, path: InputPath);
        var compilation = Empty.Value.AddSyntaxTrees(tree);

        GeneratorHarness.Result result;
        try
        {
            result = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        }
        catch (Exception e)
        {
            problems.Add("The generator threw: " + (e.InnerException ?? e));
            return new CorpusOutcome(input, problems, Array.Empty<GeneratedShader>());
        }
        if (result.Run.Results[0].Exception is { } exception) problems.Add("The generator threw: " + exception);

        foreach (var diagnostic in result.GeneratorDiagnostics)
        {
            if (diagnostic.Id == "KG9999")
                problems.Add("Internal error: " + diagnostic);
            else if (!PointsInto(diagnostic, tree))
                problems.Add("Diagnostic outside the user's file: " + diagnostic);
        }

        var shaders = new List<GeneratedShader>();
        foreach (var generated in result.Run.GeneratedTrees)
        {
            var model = result.Output.GetSemanticModel(generated);
            foreach (var error in model.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
                problems.Add($"Generated file {Path.GetFileName(generated.FilePath)} does not compile: {error} in line '{LineOf(error)}'");
            foreach (var (suffix, wgsl) in WgslConstants(generated, model))
                shaders.Add(new GeneratedShader(input.Name, KernelOf(generated) + suffix, wgsl));
        }

        // Generated declarations must not clash with the user's (a class already named like the stub, say): that
        // shows up as a new error in the user's own file.
        if (result.Run.GeneratedTrees.Length > 0)
        {
            var before = DeclarationErrors(compilation, tree).Select(d => d.ToString()).ToHashSet();
            foreach (var error in DeclarationErrors(result.Output, tree).Where(d => !before.Contains(d.ToString())))
                problems.Add($"Generation added an error to the user's code: {error} in line '{LineOf(error)}'");
        }

        // A kernel without a model and without a KernelGen diagnostic must be explained by a C# error.
        var silent = KernelResults(result).Where(r => r.Model is null && r.Diagnostics.Count == 0).ToList();
        if (silent.Count > 0 && !HasErrors(tree) && !compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            problems.Add($"{silent.Count} kernel(s) produced neither code nor an error: they were dropped silently");

        if (input.Verdict == Verdict.Rejected && shaders.Any(s => s.Kernel.EndsWith(".K", StringComparison.Ordinal)))
            problems.Add("Kernel K was translated but should have been rejected; its WGSL:\n" +
                         shaders.First(s => s.Kernel.EndsWith(".K", StringComparison.Ordinal)).Wgsl);

        return new CorpusOutcome(input, problems, shaders);
    }

    private static IEnumerable<Diagnostic> DeclarationErrors(Compilation compilation, SyntaxTree tree) =>
        compilation.GetSemanticModel(tree).GetDeclarationDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);

    private static IEnumerable<KernelResult> KernelResults(GeneratorHarness.Result result) =>
        result.Run.Results[0].TrackedSteps.TryGetValue(KernelGenerator.KernelsStep, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => o.Value).OfType<KernelResult>()
            : Enumerable.Empty<KernelResult>();

    // Parse errors are cheap to get and explain most broken inputs; only without them is the whole file compiled.
    private static bool HasErrors(SyntaxTree tree) => tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);

    private static bool PointsInto(Diagnostic diagnostic, SyntaxTree tree)
    {
        var span = diagnostic.Location.GetLineSpan();
        return span.Path == InputPath && diagnostic.Location.SourceSpan.End <= tree.Length;
    }

    /// <summary>
    /// The <c>Wgsl</c> constants of a file (one per [Specialize] variant: <c>Wgsl_taps3</c>, ...) with their name
    /// suffix, as the compiler folds them, so escaping is undone exactly.
    /// </summary>
    private static IEnumerable<(string Suffix, string Wgsl)> WgslConstants(SyntaxTree generated, SemanticModel model) =>
        generated.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>()
            .Where(d => d.Identifier.ValueText.StartsWith("Wgsl", StringComparison.Ordinal))
            .Select(d => model.GetDeclaredSymbol(d))
            .OfType<IFieldSymbol>()
            .Where(f => f.HasConstantValue && f.ConstantValue is string)
            .Select(f => (f.Name["Wgsl".Length..], (string)f.ConstantValue!));

    /// <summary>The kernel a generated file belongs to: its hint name without the suffix ("UserCode.Ops.K").</summary>
    private static string KernelOf(SyntaxTree generated)
    {
        var name = Path.GetFileName(generated.FilePath);
        foreach (var suffix in new[] { KernelGenerator.KernelFileSuffix })
            if (name.EndsWith(suffix, StringComparison.Ordinal)) return name[..^suffix.Length];
        return name;
    }

    private static string LineOf(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree is { } tree
            ? tree.GetText().Lines[diagnostic.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim()
            : "";
}
