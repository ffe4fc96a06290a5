using System.Collections.Concurrent;
using KernelGen.Caching;
using KernelGen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The generator's kernel cache (<see cref="KernelAnalysisCache"/>): after an edit, only the kernels the edit can
/// affect are analysed again, and a kernel whose inputs changed is never served stale. Each test declares its kernels
/// in a namespace of its own, so the shared cache and tests running in parallel cannot blur what it counts; the
/// count comes from <see cref="KernelAnalysisCache.Analysed"/>, raised for every real (uncached) analysis.
/// </summary>
public class KernelCacheTests
{
    private readonly string ns = "Cache" + Guid.NewGuid().ToString("N");

    private string Kernels => $$"""
        using KernelGen;
        namespace {{ns}};
        public static partial class Ops
        {
            public const float Gain = 2f;

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
                if (i < n) y[i] = MathF.Max(x[i], a) * Gain;
            }
        }
        """;

    private string Others => $$"""
        using KernelGen;
        namespace {{ns}};
        public static partial class Other
        {
            [ComputeKernel(64)]
            public static void UsesHelper(ReadWriteBuffer<float> y, uint n)
            {
                uint i = Kernel.GlobalId.X;
                if (i < n) y[i] = Shared.Scale(y[i]);
            }

            [ComputeKernel(64)]
            public static void UsesStruct(ReadWriteBuffer<Item> items, uint n)
            {
                uint i = Kernel.GlobalId.X;
                if (i >= n) return;
                Item item = items[i];
                item.Value = item.Value + 1f;
                items[i] = item;
            }

            [ComputeKernel(64)]
            public static void Plain(ReadWriteBuffer<uint> y, uint n)
            {
                uint i = Kernel.GlobalId.X;
                if (i < n) y[i] = i;
            }
        }
        """;

    private string Helpers => $$"""
        using KernelGen;
        namespace {{ns}};
        [KernelHelpers]
        public static class Shared
        {
            public static float Scale(float v) => v * 2f;
        }
        """;

    private string Structs => $$"""
        namespace {{ns}};
        public struct Item
        {
            public float Value;
            public float Weight;
        }
        """;

    private string Unrelated => $$"""
        namespace {{ns}};
        public static class Host
        {
            public const int Revision = 1;
        }
        """;

    [Fact]
    public void Unrelated_and_kernel_edits_analyse_only_the_edited_kernel()
    {
        var compilation = Compile(Kernels, Others, Helpers, Structs, Unrelated);
        var (first, analysed) = Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Equal(new[] { "First", "Plain", "Second", "UsesHelper", "UsesStruct" }, analysed);
        Assert.Empty(first.GeneratorDiagnostics);

        var (afterUnrelated, none) = Run(first.Driver, Edit(compilation, "class Host", "Revision = 1", "Revision = 2"));
        Assert.Empty(none);
        Assert.Equal(first.Files, afterUnrelated.Files);

        var (afterKernel, one) = Run(first.Driver, Edit(compilation, "class Ops", "x[i] * 2f", "x[i] * 3f"));
        Assert.Equal(new[] { "First" }, one);
        Assert.Contains("3.0f", afterKernel.File($"{ns}.Ops.First"));
        Assert.Equal(first.File($"{ns}.Ops.Second"), afterKernel.File($"{ns}.Ops.Second"));
    }

    [Fact]
    public void A_fresh_driver_on_unchanged_code_analyses_nothing_and_gives_the_same_output()
    {
        // What a command-line build in the compiler server does: a new driver and newly parsed trees, same content.
        var source = Kernels.Replace("MathF.Max(x[i], a) * Gain", "MathF.Max(x[i], (float)(double)a) * Gain");
        var (first, analysed) = Run(GeneratorHarness.CreateDriver(), Compile(source, Unrelated));
        Assert.Equal(new[] { "First", "Second" }, analysed);
        Assert.Contains(first.GeneratorDiagnostics, d => d.Id == "KG0012"); // double: Second has a diagnostic, First has code

        var (again, none) = Run(GeneratorHarness.CreateDriver(), Compile(source, Unrelated));
        Assert.Empty(none);
        Assert.Equal(first.Files, again.Files);
        Assert.Equal(first.GeneratorDiagnostics.Select(d => d.ToString()), again.GeneratorDiagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void A_fresh_driver_on_unchanged_code_emits_nothing_again_and_an_edit_emits_only_its_kernel()
    {
        // A command-line rebuild: csc's new driver has no previous outputs, but the cached analysis results are the
        // same objects, and their emitted files are kept with them (EmittedKernelCache).
        var emitted = new ConcurrentQueue<string>();
        void Record(string hint)
        {
            if (hint.StartsWith(ns + ".", StringComparison.Ordinal)) emitted.Enqueue(hint.Split('.')[^2]);
        }
        EmittedKernelCache.Emitting += Record;
        try
        {
            var (first, _) = Run(GeneratorHarness.CreateDriver(), Compile(Kernels, Unrelated));
            Assert.Equal(new[] { "First", "Second" }, emitted.OrderBy(n => n));
            emitted.Clear();

            var (again, _) = Run(GeneratorHarness.CreateDriver(), Compile(Kernels, Unrelated));
            Assert.Empty(emitted);
            Assert.Equal(first.Files, again.Files);

            var (edited, _) = Run(GeneratorHarness.CreateDriver(), Compile(Kernels.Replace("x[i] * 2f", "x[i] * 4f"), Unrelated));
            Assert.Equal(new[] { "First" }, emitted);
            Assert.Contains("4.0f", edited.File($"{ns}.Ops.First"));
            Assert.Equal(first.File($"{ns}.Ops.Second"), edited.File($"{ns}.Ops.Second"));
        }
        finally
        {
            EmittedKernelCache.Emitting -= Record;
        }
    }

    [Fact]
    public void Editing_a_helper_in_another_file_re_analyses_the_kernels_that_call_it()
    {
        var compilation = Compile(Kernels, Others, Helpers, Structs);
        var (first, _) = Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Contains("v * 2.0f", first.File($"{ns}.Other.UsesHelper"));

        var (second, analysed) = Run(first.Driver, Edit(compilation, "class Shared", "v * 2f", "v * 3f"));
        Assert.Equal(new[] { "UsesHelper" }, analysed);
        Assert.Contains("v * 3.0f", second.File($"{ns}.Other.UsesHelper"));
    }

    [Fact]
    public void Editing_a_const_of_the_class_re_analyses_the_kernels_of_that_class()
    {
        var compilation = Compile(Kernels, Others, Helpers, Structs);
        var (first, _) = Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Contains("2.0f", first.File($"{ns}.Ops.Second"));

        var (second, analysed) = Run(first.Driver, Edit(compilation, "class Ops", "Gain = 2f", "Gain = 5f"));
        // The const is in the kernels' own file: both kernels of Ops are looked at again, the other class's are not.
        Assert.Equal(new[] { "First", "Second" }, analysed);
        Assert.Contains("5.0f", second.File($"{ns}.Ops.Second"));
    }

    [Fact]
    public void Editing_a_const_in_another_file_re_analyses_the_kernel_that_uses_it()
    {
        var kernels = Kernels.Replace("* Gain;", "* Limits.Gain;").Replace("public const float Gain = 2f;", "");
        var limits = $$"""
            namespace {{ns}};
            public static class Limits { public const float Gain = 4f; }
            """;
        var compilation = Compile(kernels, limits, Unrelated);
        var (first, _) = Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Contains("4.0f", first.File($"{ns}.Ops.Second"));

        var (second, analysed) = Run(first.Driver, Edit(compilation, "class Limits", "Gain = 4f", "Gain = 6f"));
        Assert.Equal(new[] { "Second" }, analysed);
        Assert.Contains("6.0f", second.File($"{ns}.Ops.Second"));
    }

    [Fact]
    public void Editing_a_struct_used_by_a_kernel_re_analyses_that_kernel()
    {
        var compilation = Compile(Kernels, Others, Helpers, Structs);
        var (first, _) = Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Empty(first.GeneratorDiagnostics);
        Assert.Contains("Weight", first.File($"{ns}.Other.UsesStruct"));

        // A field the kernel never names: only the struct's declaration in the WGSL module shows it.
        var (second, analysed) = Run(first.Driver, Edit(compilation, "struct Item", "public float Weight;", "public float Heft;"));
        Assert.Equal(new[] { "UsesStruct" }, analysed);
        Assert.Empty(second.GeneratorDiagnostics);
        Assert.Contains("Heft", second.File($"{ns}.Other.UsesStruct"));
        Assert.DoesNotContain("Weight", second.File($"{ns}.Other.UsesStruct"));
    }

    [Fact]
    public void A_changed_preprocessor_symbol_is_not_served_stale()
    {
        var source = $$"""
            using KernelGen;
            namespace {{ns}};
            public static partial class Ops
            {
                [ComputeKernel(64)]
                public static void K(ReadWriteBuffer<float> y, uint n)
                {
                    uint i = Kernel.GlobalId.X;
            #if FAST
                    if (i < n) y[i] = y[i] * 7f;
            #else
                    if (i < n) y[i] = y[i] * 9f;
            #endif
                }
            }
            """;
        var (plain, _) = Run(GeneratorHarness.CreateDriver(), Compile(GeneratorHarness.ParseOptions, source));
        Assert.Contains("9.0f", plain.File($"{ns}.Ops.K"));

        // Same text, same path, a fresh driver (as csc with -define:FAST): only the parse options differ.
        var (fast, analysed) = Run(GeneratorHarness.CreateDriver(), Compile(GeneratorHarness.ParseOptions.WithPreprocessorSymbols("FAST"), source));
        Assert.Equal(new[] { "K" }, analysed);
        Assert.Contains("7.0f", fast.File($"{ns}.Ops.K"));
    }

    [Fact]
    public void The_cache_keeps_to_its_bound_and_drops_the_least_recently_used()
    {
        var cache = new KernelAnalysisCache(capacity: 8);
        var empty = new KernelResult(EquatableArray<KernelModel>.Empty, EquatableArray<DiagnosticInfo>.Empty);
        for (int i = 0; i < 8; i++) cache.Store("kernel" + i, new KernelAnalysisCache.Entry(empty, "", Array.Empty<string>()) { LastUse = i });
        Assert.Equal(8, cache.Count);

        cache.Store("kernel8", new KernelAnalysisCache.Entry(empty, "", Array.Empty<string>()) { LastUse = 8 });
        Assert.True(cache.Count <= 8, $"{cache.Count} entries");
        Assert.False(cache.ContainsKey("kernel0")); // the oldest went
        Assert.True(cache.ContainsKey("kernel8"));  // the newest stayed

        for (int i = 9; i < 1000; i++) cache.Store("kernel" + i, new KernelAnalysisCache.Entry(empty, "", Array.Empty<string>()) { LastUse = i });
        Assert.InRange(cache.Count, 1, 8);
        Assert.True(cache.ContainsKey("kernel999"));
    }

    private CSharpCompilation Compile(params string[] sources) => Compile(GeneratorHarness.ParseOptions, sources);

    private static CSharpCompilation Compile(CSharpParseOptions options, params string[] sources)
    {
        var compilation = GeneratorHarness.Compile(sources);
        return compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(
            compilation.SyntaxTrees.Select(t => CSharpSyntaxTree.ParseText(t.GetText(), options, t.FilePath)));
    }

    /// <summary>Replaces one tree by a new parse of its text with one edit (same line count), as csc or an IDE would.</summary>
    private static Compilation Edit(Compilation compilation, string fileMarker, string from, string to)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.ToString().Contains(fileMarker));
        var text = tree.ToString();
        Assert.Contains(from, text);
        var edited = CSharpSyntaxTree.ParseText(text.Replace(from, to), (CSharpParseOptions)tree.Options, tree.FilePath);
        return compilation.ReplaceSyntaxTree(tree, edited);
    }

    /// <summary>Runs the driver and returns the result with the names of this test's kernels that were really analysed.</summary>
    private (GeneratorHarness.Result Result, List<string> Analysed) Run(GeneratorDriver driver, Compilation compilation)
    {
        var seen = new ConcurrentQueue<string>();
        void Record(string id)
        {
            if (id.Contains(ns + ".", StringComparison.Ordinal)) seen.Enqueue(id);
        }
        KernelAnalysisCache.Analysed += Record;
        try
        {
            var result = GeneratorHarness.Run(driver, compilation);
            var names = seen.Select(id => id[..id.IndexOf('(')]).Select(id => id[(id.LastIndexOf('.') + 1)..]).OrderBy(n => n).ToList();
            return (result, names);
        }
        finally
        {
            KernelAnalysisCache.Analysed -= Record;
        }
    }
}
