using KernelGen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The generator's pipeline keeps each kernel on its own: an edit elsewhere in the project must re-emit nothing, and
/// an edit to one kernel must re-emit only that kernel. In an IDE the generator runs on every keystroke, so a
/// pipeline that re-emits everything (or holds uncomparable values) makes typing slow in big projects.
/// The driver is created with step tracking on, so each step reports why it produced each output
/// (<see cref="IncrementalStepRunReason"/>): Cached/Unchanged = reused, Modified/New = recomputed to something new.
/// </summary>
public class IncrementalityTests
{
    // Two kernels in one static partial class. Both edits below keep every line where it is: the IR records line
    // numbers (for error messages), so moving Second down a line would rightly change its model too.
    private const string KernelsSource = """
        using KernelGen;
        namespace UserCode;
        public static partial class Ops
        {
            [ComputeKernel(64)]
            public static void First(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint n)
            {
                uint i = Kernel.GlobalId.X;
                if (i < n) y[i] = x[i] * 2f;
            }

            [ComputeKernel(64)]
            public static void Second(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, float a, uint n)
            {
                uint i = Kernel.GlobalId.X;
                if (i < n) y[i] = MathF.Max(x[i], a);
            }
        }
        """;

    private const string UnrelatedSource = """
        namespace UserCode;
        public static class Unrelated
        {
            public static int Answer() => 42;
        }
        """;

    private static readonly string[] Reused = { nameof(IncrementalStepRunReason.Cached), nameof(IncrementalStepRunReason.Unchanged) };

    [Fact]
    public void Editing_an_unrelated_file_reuses_every_kernel_and_every_output()
    {
        var (first, compilation) = RunOnce();

        var unrelated = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class Unrelated"));
        // An incremental reparse, as an IDE does on a keystroke: change a value and add a member.
        var edit = new TextChange(new TextSpan(unrelated.ToString().IndexOf("42", StringComparison.Ordinal), 2), "43; public static int Other() => 1");
        var edited = unrelated.WithChangedText(unrelated.GetText().WithChanges(edit));
        var second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(unrelated, edited));

        var kernels = KernelOutputs(second);
        Assert.Equal(new[] { "First", "Second" }, kernels.Select(k => k.Kernel).OrderBy(k => k));
        Assert.All(kernels, k => Assert.Contains(k.Reason.ToString(), Reused));

        // The source output step (AddSource) is skipped, and the generated files are the same texts.
        var sourceOutputs = second.Run.Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(sourceOutputs);
        Assert.All(sourceOutputs, o => Assert.Contains(o.Reason.ToString(), Reused));
        Assert.Equal(first.Files, second.Files);
    }

    [Fact]
    public void Editing_one_kernel_body_recomputes_and_re_emits_only_that_kernel()
    {
        var (first, compilation) = RunOnce();

        // Same line count: only First's multiplier changes.
        var kernelsTree = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class Ops"));
        var editedText = KernelsSource.Replace("x[i] * 2f", "x[i] * 3f");
        Assert.NotEqual(KernelsSource, editedText);
        var edited = CSharpSyntaxTree.ParseText(editedText, GeneratorHarness.ParseOptions, kernelsTree.FilePath);
        var second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(kernelsTree, edited));

        var kernels = KernelOutputs(second).ToDictionary(k => k.Kernel, k => k.Reason);
        Assert.Equal(2, kernels.Count);
        Assert.Equal(IncrementalStepRunReason.Modified, kernels["First"]);
        Assert.Contains(kernels["Second"].ToString(), Reused);

        // Only First's file changed (its WGSL, and the CPU backend's loop code generated from the body, both in the
        // kernel's one file); Second's is untouched.
        var changed = first.Files.Keys.Where(hint => first.Files[hint] != second.Files[hint]).ToList();
        var kernelFile = Assert.Single(changed);
        Assert.StartsWith("UserCode.Ops.First.", kernelFile);
        Assert.EndsWith(KernelGenerator.KernelFileSuffix, kernelFile);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(second.Files[kernelFile], @"3\.0f").Count);
        Assert.Equal(first.Files.Keys.OrderBy(k => k), second.Files.Keys.OrderBy(k => k));
    }

    [Fact]
    public void Running_again_on_the_same_compilation_reuses_everything()
    {
        // The baseline the two tests above rely on: with no edit at all, nothing is recomputed.
        var (first, compilation) = RunOnce();
        var second = GeneratorHarness.Run(first.Driver, compilation);
        Assert.All(KernelOutputs(second), k => Assert.Contains(k.Reason.ToString(), Reused));
        Assert.Equal(first.Files, second.Files);
    }

    /// <summary>Runs the generator once over the two files and checks the starting point: both kernels generated.</summary>
    private static (GeneratorHarness.Result Result, Compilation Compilation) RunOnce()
    {
        var compilation = GeneratorHarness.Compile(KernelsSource, UnrelatedSource);
        var result = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationErrors);
        Assert.Equal(2, result.Files.Count); // one file (WGSL, Info and stub) per kernel
        Assert.All(KernelOutputs(result), k => Assert.Equal(IncrementalStepRunReason.New, k.Reason));
        return (result, compilation);
    }

    /// <summary>Each output of the generator's "Kernels" step: which kernel it is, and why it was produced.</summary>
    private static List<(string Kernel, IncrementalStepRunReason Reason)> KernelOutputs(GeneratorHarness.Result result) =>
        result.Run.Results[0].TrackedSteps[KernelGenerator.KernelsStep]
            .SelectMany(step => step.Outputs)
            .Select(o => (((KernelResult)o.Value).Model?.MethodName ?? "?", o.Reason))
            .ToList();
}

/// <summary>A kernel calling a [KernelHelpers] method of another file must follow edits to that file.</summary>
public class CrossFileHelperTests
{
    private const string Kernel = """
        using KernelGen;
        namespace UserCode;
        public static partial class Ops
        {
            [ComputeKernel(64)]
            public static void K(ReadWriteBuffer<float> y, uint n)
            {
                uint i = Kernel.GlobalId.X;
                if (i < n) y[i] = Shared.Scale(y[i]);
            }
        }
        """;

    private const string Helpers = """
        using KernelGen;
        namespace UserCode;
        [KernelHelpers]
        public static class Shared
        {
            public static float Scale(float v) => v * 2f;
        }
        """;

    [Fact]
    public void Editing_a_helper_in_another_file_regenerates_the_kernel()
    {
        var compilation = GeneratorHarness.Compile(Kernel, Helpers);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Contains("v * 2.0f", first.File("UserCode.Ops.K"));

        var helpers = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class Shared"));
        var edited = CSharpSyntaxTree.ParseText(Helpers.Replace("v * 2f", "v * 3f"), GeneratorHarness.ParseOptions, path: helpers.FilePath);
        var second = GeneratorHarness.Run(first.Driver, compilation.ReplaceSyntaxTree(helpers, edited));
        Assert.Contains("v * 3.0f", second.File("UserCode.Ops.K"));
    }
}
