using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>Misuse of compare-exchange atomics, Sign and struct parameters is reported at its site.</summary>
public class CompletionDiagnosticTests
{
    private const string Template = """
        using System;
        using System.Numerics;
        using KernelGen;
        namespace UserCode;
        public struct Inner { public float X; public float Y; }
        public struct Wide { public Vector4 A; public Inner B; public float C; public float D; }
        public struct Shifted { public float A; public float B; public Inner C; public float D; }
        public struct Padded { public Vector4 A; public Wide16 B; public float C, D, E, F; }
        public struct Wide16 { public float X; public float Y; public float Z; public float W; }
        public static partial class Ops
        {
            [ComputeKernel(64)]
            public static void K(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, ReadWriteBuffer<int> ints, Vector4 v, uint n/*PARAMS*/)
            {
                uint i = Kernel.GlobalId.X;
                /*BODY*/
            }
        }
        """;

    private const int ParameterLine = 13;
    private const int BodyLine = 16;

    private static GeneratorHarness.Result Run(string parameters, string body) =>
        GeneratorHarness.Run(Template.Replace("/*PARAMS*/", parameters).Replace("/*BODY*/", body));

    [Fact]
    public void Uniform_struct_whose_nested_struct_is_followed_too_closely_is_refused_at_the_parameter()
    {
        // Storage layout (and C#) put C right after the 8-byte Inner, at 24; a uniform wants it at 16 + 16 = 32.
        var result = Run(", Wide w", "y[i] = w.C;");
        var diagnostic = AssertReported(result, "KG0020", ParameterLine);
        Assert.Contains("Parameter 'w' of struct type 'Wide'", diagnostic.GetMessage());
        Assert.Contains("must start at byte 32 or later", diagnostic.GetMessage());
    }

    [Fact]
    public void Uniform_struct_with_a_nested_struct_off_a_16_byte_boundary_is_refused()
    {
        var diagnostic = AssertReported(Run(", Shifted s", "y[i] = s.D;"), "KG0020", ParameterLine);
        Assert.Contains("field 'C' of 'global::UserCode.Shifted' is a struct at byte 8", diagnostic.GetMessage());
    }

    [Fact]
    public void Uniform_struct_with_nested_structs_that_fit_the_uniform_rules_is_accepted()
    {
        var result = Run(", Padded p", "y[i] = p.B.Z + p.C + v.W;");
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationErrors);
        var wgsl = result.File("UserCode.Ops.K");
        Assert.Contains("p: Padded,", wgsl);
        Assert.Contains("params.p.B.Z + params.p.C", wgsl);
    }

    [Fact]
    public void Struct_parameter_whose_layout_differs_from_wgsl_is_refused_with_kg0019()
    {
        var source = Template.Replace("public static partial class Ops", "public struct Bad { public float A; public Vector4 B; }\npublic static partial class Ops")
            .Replace("/*PARAMS*/", ", Bad bad").Replace("/*BODY*/", "");
        var diagnostic = AssertReported(GeneratorHarness.Run(source), "KG0019", ParameterLine + 1);
        Assert.Contains("field 'B' is at byte 4 in C# but 16 in WGSL", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData(", Padded p", "p.C = 1f;")]
    [InlineData(", Padded p", "p.B.X += 1f;")]
    [InlineData("", "v.X = 1f;")]
    public void Writing_a_field_of_a_struct_or_vector_parameter_is_reported(string parameters, string body) =>
        AssertReported(Run(parameters, body), "KG0010", BodyLine);

    [Theory]
    [InlineData("ints[i] = uint.Sign(n);", "KG0004")]      // WGSL's sign has no u32 form
    [InlineData("ints[i] = Math.Sign(n);", "KG0004")]      // uint binds to Math.Sign(long)
    [InlineData("ints[i] = Math.Sign(1.5);", "KG0004")]    // Math.Sign(double): WGSL has no double
    [InlineData("Atomic.CompareExchange(ints, 0u, 1, 0); ints[0] += 1;", "KG0002")] // a plain read-modify-write would race
    public void Misused_sign_and_compare_exchange_are_reported(string body, string id) =>
        AssertReported(Run("", body), id, BodyLine);

    [Fact]
    public void A_local_named_like_the_compare_exchange_function_is_renamed()
    {
        var result = Run("", "int kg_compare_exchange_ints = Atomic.CompareExchange(ints, 0u, 1, 0);\n        ints[i] = kg_compare_exchange_ints;");
        Assert.Empty(result.GeneratorDiagnostics);
        var wgsl = result.File("UserCode.Ops.K");
        Assert.Contains("fn kg_compare_exchange_ints(index: u32, comparand: i32, value: i32) -> i32 {", wgsl);
        Assert.Contains("let vkg_compare_exchange_ints: i32 = kg_compare_exchange_ints(0u, 0i, 1i);", wgsl);
    }

    private static Microsoft.CodeAnalysis.Diagnostic AssertReported(GeneratorHarness.Result result, string id, int line)
    {
        var diagnostic = Assert.Single(result.GeneratorDiagnostics, d => d.Id == id);
        Assert.Equal(line, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Empty(result.Files);
        return diagnostic;
    }
}
