namespace KernelGen.Generator.Tests.Robustness;

/// <summary>
/// Whole files where the kernel's surroundings are the point: where it is declared, what it and its classes are
/// called, its attribute, and several kernels at once. The generator must translate each or explain why not, and
/// whatever it adds must compile next to the user's code.
/// </summary>
internal static class Declarations
{
    private const string Kernel = """
            [ComputeKernel(64)]
            public static void K(ReadWriteBuffer<float> y, float a)
            {
                uint i = Kernel.GlobalId.X;
                y[i] = a;
            }
        """;

    private static string InClass(string classHeader, string prefix = "namespace UserCode;\n") =>
        "using KernelGen;\n" + prefix + classHeader + "\n{\n" + Kernel + "\n}\n";

    private static readonly (string Name, string Source, Verdict Verdict)[] Cases =
    {
        ("global namespace", InClass("public static partial class Ops", prefix: ""), Verdict.Either),
        ("block namespace", "using KernelGen;\nnamespace A.B\n{\npublic static partial class Ops\n{\n" + Kernel + "\n}\n}\n", Verdict.Either),
        ("namespace with a keyword part", InClass("public static partial class Ops", "namespace UserCode.@event;\n"), Verdict.Either),
        ("class named with a keyword", InClass("public static partial class @class"), Verdict.Either),
        ("internal class", InClass("internal static partial class Ops"), Verdict.Either),
        ("unicode class name", InClass("public static partial class Öps"), Verdict.Either),
        ("nested in a static partial class", InClass("public static partial class Outer { public static partial class Ops") + "}\n", Verdict.Either),
        ("nested in a non-static partial class", InClass("public partial class Outer { public static partial class Ops") + "}\n", Verdict.Either),
        ("nested in a partial record", InClass("public partial record Outer { public static partial class Ops") + "}\n", Verdict.Either),
        ("nested in a partial struct", InClass("public partial struct Outer { public static partial class Ops") + "}\n", Verdict.Either),
        ("nested in a generic class", InClass("public partial class Outer<T> { public static partial class Ops") + "}\n", Verdict.Rejected),
        ("nested in a non-partial class", InClass("public class Outer { public static partial class Ops") + "}\n", Verdict.Rejected),
        ("file-local class", InClass("file static partial class Ops"), Verdict.Either),
        ("class with a member named like the stub", "using KernelGen;\nnamespace UserCode;\npublic static partial class Ops\n{\n" + Kernel + "\n    public static class KKernel { }\n}\n", Verdict.Rejected),
        ("non-partial class", InClass("public static class Ops"), Verdict.Rejected),
        ("non-static class", InClass("public partial class Ops"), Verdict.Either),
        ("generic class", InClass("public static partial class Ops<T>"), Verdict.Rejected),
        ("partial struct", InClass("public partial struct Ops"), Verdict.Either),
        ("partial interface", "using KernelGen;\nnamespace UserCode;\npublic partial interface Ops\n{\n" + Kernel + "\n}\n", Verdict.Either),
        ("kernel in a record", InClass("public partial record Ops"), Verdict.Either),

        ("attribute without arguments", InClass("public static partial class Ops").Replace("[ComputeKernel(64)]", "[ComputeKernel]"), Verdict.Rejected),
        ("workgroup size zero", InClass("public static partial class Ops").Replace("(64)", "(0)"), Verdict.Rejected),
        ("workgroup size negative", InClass("public static partial class Ops").Replace("(64)", "(-1, -1, -1)"), Verdict.Rejected),
        ("workgroup size overflowing int", InClass("public static partial class Ops").Replace("(64)", "(int.MaxValue, int.MaxValue, int.MaxValue)"), Verdict.Rejected),
        ("workgroup size from constants", InClass("public static partial class Ops").Replace("(64)", "(Size * 2, z: 1)").Replace("{\n    [Comp", "{\n    const int Size = 32;\n    [Comp"), Verdict.Either),
        ("workgroup size not constant", InClass("public static partial class Ops").Replace("(64)", "(Size)").Replace("{\n    [Comp", "{\n    static int Size = 32;\n    [Comp"), Verdict.Rejected),
        ("attribute twice", InClass("public static partial class Ops").Replace("[ComputeKernel(64)]", "[ComputeKernel(64)][ComputeKernel(32)]"), Verdict.Either),
        ("attribute by full name", InClass("public static partial class Ops").Replace("[ComputeKernel(64)]", "[global::KernelGen.ComputeKernelAttribute(64)]"), Verdict.Either),
        ("attribute on a non-method", "using KernelGen;\nnamespace UserCode;\n[ComputeKernel(64)]\npublic static partial class Ops { }\n", Verdict.Either),
        ("attribute on a local function", InClass("public static partial class Ops").Replace("y[i] = a;", "[ComputeKernel(64)] static void Inner() { } y[i] = a;"), Verdict.Either),
        ("a look-alike attribute", "namespace Other { public sealed class ComputeKernelAttribute : System.Attribute { public ComputeKernelAttribute(int x) { } } }\n" +
                                   InClass("public static partial class Ops").Replace("using KernelGen;", "using KernelGen;\nusing ComputeKernel = Other.ComputeKernelAttribute;"), Verdict.Either),

        ("partial method, attribute on the implementation", PartialKernel, Verdict.Either),
        ("partial method, attribute on the declaration", PartialKernel.Replace("    public static partial void K(ReadWriteBuffer<float> y, float a);\n    [ComputeKernel(64)]\n", "    [ComputeKernel(64)]\n    public static partial void K(ReadWriteBuffer<float> y, float a);\n"), Verdict.Either),
        ("extern kernel", "using KernelGen;\nnamespace UserCode;\npublic static partial class Ops\n{\n    [ComputeKernel(64)]\n    public static extern void K(ReadWriteBuffer<float> y);\n}\n", Verdict.Rejected),
        ("expression-bodied kernel", "using KernelGen;\nnamespace UserCode;\npublic static partial class Ops\n{\n    [ComputeKernel(64)]\n    public static void K(ReadWriteBuffer<float> y) => y[Kernel.GlobalId.X] = 1f;\n}\n", Verdict.Either),
        ("overloaded kernels", InClass("public static partial class Ops").Replace("}\n}", "}\n    [ComputeKernel(64)]\n    public static void K(ReadWriteBuffer<int> y) { }\n}"), Verdict.Either),
        ("kernels differing only in case", InClass("public static partial class Ops").Replace("}\n}", "}\n    [ComputeKernel(64)]\n    public static void k(ReadWriteBuffer<int> y) { }\n}"), Verdict.Either),
        ("classes differing only in case", InClass("public static partial class Ops") + InClass("public static partial class OPS", prefix: "").Replace("using KernelGen;\n", ""), Verdict.Either),
        ("kernel in two partial parts", InClass("public static partial class Ops") + InClass("public static partial class Ops", prefix: "").Replace("using KernelGen;\n", "").Replace("void K(", "void K2("), Verdict.Either),
        ("many kernels", "using KernelGen;\nnamespace UserCode;\npublic static partial class Ops\n{\n" +
                         string.Concat(Enumerable.Range(0, 20).Select(n => Kernel.Replace("void K(", $"void K{n}(") + "\n")) + "}\n", Verdict.Either),
    };

    private const string PartialKernel = """
        using KernelGen;
        namespace UserCode;
        public static partial class Ops
        {
            public static partial void K(ReadWriteBuffer<float> y, float a);
            [ComputeKernel(64)]
            public static partial void K(ReadWriteBuffer<float> y, float a) { y[Kernel.GlobalId.X] = a; }
        }
        """;

    public static IEnumerable<CorpusInput> All() =>
        Cases.Select(c => new CorpusInput("declaration: " + c.Name, c.Source, c.Verdict));
}
