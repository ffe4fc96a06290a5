using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Every unsupported construct gets a KernelGen diagnostic with its id, on the line of the construct, and the
/// generator emits nothing for that kernel (no broken output, no exception).
/// </summary>
public class DiagnosticTests
{
    private const string Template = """
        using System;
        using KernelGen;
        namespace UserCode;
        public static partial class Ops
        {
            static float Helper = 1f;
            static float Recurse(float v) => v > 10f ? v : Recurse(v * 2f);
            static float TakesBuffer(ReadOnlyBuffer<float> b) => b[0];
            [ComputeKernel(64)]
            public static void K(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, int count, uint n)
            {
                uint i = Kernel.GlobalId.X;
                /*BODY*/
            }
        }
        """;

    private const int BodyLine = 13;

    [Theory]
    [InlineData("foreach (var q in new[] { 1, 2 }) { }", "KG0001")]
    [InlineData("try { y[i] = 1f; } catch { }", "KG0001")]
    [InlineData("throw new InvalidOperationException();", "KG0001")]
    [InlineData("switch (x[i]) { case 1f: break; }", "KG0001")]
    [InlineData("y[i] = new object() == null ? 1f : 0f;", "KG0002")]
    [InlineData("string s = \"text\";", "KG0003")]
    [InlineData("Console.WriteLine(i);", "KG0004")]
    [InlineData("y[i] = (float)Math.Round(x[i], 2);", "KG0012")]
    [InlineData("if (i < count) y[i] = 1f;", "KG0009")]
    [InlineData("float h = (float)(x[i] * 0.5);", "KG0012")]
    [InlineData("n = 3u;", "KG0010")]
    [InlineData("y[i] = Helper;", "KG0002")]
    [InlineData("if (i < n) Kernel.WorkgroupBarrier();", "KG0015")]
    [InlineData("Span<float> a = stackalloc float[count];", "KG0016")]
    [InlineData("var big = Kernel.WorkgroupArray<float>(5000);", "KG0017")]
    [InlineData("y[i] = TakesBuffer(x);", "KG0014")]
    [InlineData("y[i] = x.AsSpan()[0];", "KG0002")] // AsSpan is for C# outside kernels (and the CPU backend's loops)
    public void Unsupported_construct_is_reported_at_its_line(string statement, string id)
    {
        AssertReported(GeneratorHarness.Run(Template.Replace("/*BODY*/", statement)), id, BodyLine);
    }

    [Fact]
    public void Kernel_in_a_class_that_is_not_static_partial_is_reported()
    {
        var source = Template.Replace("public static partial class Ops", "public class Ops").Replace("/*BODY*/", "");
        AssertReported(GeneratorHarness.Run(source), "KG0005", 10);
    }

    [Fact]
    public void Workgroup_size_over_the_limit_is_reported_at_the_attribute()
    {
        var source = Template.Replace("[ComputeKernel(64)]", "[ComputeKernel(32, 16)]").Replace("/*BODY*/", "");
        AssertReported(GeneratorHarness.Run(source), "KG0008", 9);
    }

    [Fact]
    public void Unsupported_parameter_is_reported_at_the_parameter()
    {
        var source = Template.Replace("int count, uint n", "int count, uint n, float[] table").Replace("/*BODY*/", "");
        AssertReported(GeneratorHarness.Run(source), "KG0006", 10);
    }

    [Fact]
    public void Kernel_returning_a_value_is_reported()
    {
        var source = Template.Replace("public static void K", "public static int K").Replace("/*BODY*/", "return 0;");
        AssertReported(GeneratorHarness.Run(source), "KG0007", 10);
    }

    [Fact]
    public void Several_problems_are_all_reported_in_one_build()
    {
        var result = GeneratorHarness.Run(Template.Replace("/*BODY*/", "string s = \"a\";\n        Console.WriteLine(s);"));
        var ids = result.GeneratorDiagnostics.Select(d => (d.Id, d.Location.GetLineSpan().StartLinePosition.Line + 1)).ToList();
        Assert.Contains(("KG0003", 13), ids);
        Assert.Contains(("KG0004", 14), ids);
    }

    [Fact]
    public void Struct_whose_csharp_layout_differs_from_wgsl_is_refused_with_the_fix()
    {
        var source = Template.Replace("public static partial class Ops", "public struct Bad { public float A; public System.Numerics.Vector4 B; }\npublic static partial class Ops")
            .Replace("int count, uint n", "int count, uint n, ReadWriteBuffer<Bad> bad").Replace("/*BODY*/", "");
        var result = GeneratorHarness.Run(source);
        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("KG0019", diagnostic.Id);
        Assert.Contains("field 'B' is at byte 4 in C# but 16 in WGSL", diagnostic.GetMessage());
        Assert.Contains("add 3 float padding field(s)", diagnostic.GetMessage());
    }

    [Fact]
    public void Recursion_is_reported_at_the_call_that_recurses()
    {
        // Line 7 is the helper "Recurse", whose body calls itself.
        AssertReported(GeneratorHarness.Run(Template.Replace("/*BODY*/", "y[i] = Recurse(1f);")), "KG0013", 7);
    }

    [Fact]
    public void Barrier_after_an_early_return_is_reported()
    {
        var result = GeneratorHarness.Run(Template.Replace("/*BODY*/", "if (i >= n) return;\n        Kernel.WorkgroupBarrier();"));
        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("KG0015", diagnostic.Id);
        Assert.Contains("returned before it", diagnostic.GetMessage());
    }

    [Fact]
    public void Barrier_in_uniform_control_flow_is_accepted()
    {
        var body = "var t = Kernel.WorkgroupArray<float>(64);\n        t[Kernel.LocalIndex] = x[i];\n        Kernel.WorkgroupBarrier();\n" +
                   "        for (int k = 0; k < count; k++) { Kernel.WorkgroupBarrier(); }\n        if (i < n) y[i] = t[0];";
        var result = GeneratorHarness.Run(Template.Replace("/*BODY*/", body));
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationErrors);
        Assert.Contains("usesBarriers: true", result.File("UserCode.Ops.K"));
    }

    [Fact]
    public void Code_with_csharp_errors_gets_no_kernelgen_noise_and_no_output()
    {
        var result = GeneratorHarness.Run(Template.Replace("/*BODY*/", "y[i] = undefinedThing;"));
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.Files);
    }

    [Fact]
    public void Messages_say_what_to_write_instead()
    {
        var result = GeneratorHarness.Run(Template.Replace("/*BODY*/", "foreach (var q in new[] { 1 }) { }"));
        var message = Assert.Single(result.GeneratorDiagnostics).GetMessage();
        Assert.Contains("use a for loop over an index", message);
    }

    private static void AssertReported(GeneratorHarness.Result result, string id, int line)
    {
        var diagnostic = Assert.Single(result.GeneratorDiagnostics, d => d.Id == id);
        Assert.Equal(line, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Empty(result.Files); // nothing generated for a kernel that does not translate
    }
}
