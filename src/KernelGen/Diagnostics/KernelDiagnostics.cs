using Microsoft.CodeAnalysis;

namespace KernelGen.Diagnostics
{
    /// <summary>
    /// The catalogue of KernelGen's diagnostics. Every id is listed in AnalyzerReleases.Shipped.md and in
    /// docs/kernel-language.md; each message says what is wrong and what to write instead.
    /// </summary>
    internal static class KernelDiagnostics
    {
        private const string Category = "KernelGen";

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnsupportedStatement = Error("KG0001",
            "Statement not supported in kernels",
            "{0} cannot be translated to WGSL; {1}");

        public static readonly DiagnosticDescriptor UnsupportedExpression = Error("KG0002",
            "Expression not supported in kernels",
            "{0} cannot be translated to WGSL; {1}");

        public static readonly DiagnosticDescriptor UnsupportedType = Error("KG0003",
            "Type not supported in kernels",
            "Type '{0}' is not supported in kernels; use float, int, uint, bool, System.Numerics.Vector2/3/4 (or UInt3 for thread ids)");

        public static readonly DiagnosticDescriptor UnsupportedMethod = Error("KG0004",
            "Method call not supported in kernels",
            "Call to '{0}' is not supported in kernels; use a MathF/Math intrinsic that WGSL has, or a kernel intrinsic of KernelGen.Kernel");

        public static readonly DiagnosticDescriptor ContainerNotStaticPartial = Error("KG0005",
            "Kernel container must be a static partial class",
            "Kernel '{0}' is declared in '{1}', which must be a non-generic, non-file-local 'static partial class' (and every type around it a partial class, not a record or struct), so the generator can add its dispatch stub");

        public static readonly DiagnosticDescriptor UnsupportedParameter = Error("KG0006",
            "Kernel parameter kind not supported",
            "Parameter '{0}' of type '{1}' is not supported; use ReadOnlyBuffer<T> or ReadWriteBuffer<T> (T = float, int, uint, a 2- or 4-lane vector or a struct; not Vector3, whose C# and WGSL array strides differ) or a float, int, uint, bool, vector or struct value, passed by value");

        public static readonly DiagnosticDescriptor InvalidKernelSignature = Error("KG0007",
            "Kernel signature not supported",
            "Kernel '{0}' must be a static, non-generic, non-async method with a body, returning void");

        public static readonly DiagnosticDescriptor InvalidWorkgroupSize = Error("KG0008",
            "Workgroup size outside WebGPU's limits",
            "Workgroup size ({0}, {1}, {2}) is invalid: each axis must be at least 1, X and Y at most 256, Z at most 64, and X*Y*Z at most 256 invocations (WebGPU's default limits)");

        public static readonly DiagnosticDescriptor SixtyFourBitArithmetic = Error("KG0009",
            "64-bit arithmetic not supported",
            "This expression is computed as '{0}' because it mixes int and uint (or uses a 64-bit value); WGSL has no 64-bit integers. Cast one operand, e.g. (int)i or (uint)n, so both sides share one 32-bit type.");

        public static readonly DiagnosticDescriptor AssignmentToParameter = Error("KG0010",
            "Scalar kernel parameters are read-only",
            "Parameter '{0}' lives in a uniform block and cannot be assigned; copy it to a local first (var {0}Local = {0};)");

        public static readonly DiagnosticDescriptor DuplicateKernelName = Error("KG0011",
            "Kernel name used twice",
            "Class '{0}' has another kernel named '{1}', or a member named '{1}Kernel', the name of the generated stub class; rename one of them");

        public static readonly DiagnosticDescriptor DoubleNotSupported = Error("KG0012",
            "double not supported in kernels",
            "This expression has type 'double', which WGSL does not have; use float literals (0.5f) and MathF instead of Math");

        public static readonly DiagnosticDescriptor Recursion = Error("KG0013",
            "Recursion not supported in kernels",
            "'{0}' calls itself, directly or through other helpers; WGSL has no recursion. Rewrite it as a loop.");

        public static readonly DiagnosticDescriptor UnsupportedHelper = Error("KG0014",
            "Helper function not supported",
            "'{0}' cannot be called from a kernel: {1}");

        public static readonly DiagnosticDescriptor NonUniformBarrier = Error("KG0015",
            "Barrier in non-uniform control flow",
            "This barrier is reached only by some invocations ({0}); every invocation of a workgroup must reach the same barriers. Move it out of branches that depend on thread ids or data, and do not return before it.");

        public static readonly DiagnosticDescriptor InvalidArray = Error("KG0016",
            "Array not supported",
            "{0}");

        public static readonly DiagnosticDescriptor WorkgroupStorageTooLarge = Error("KG0017",
            "Workgroup memory over WebGPU's limit",
            "The workgroup arrays of this kernel take {0} bytes, more than WebGPU's default limit of 16384 bytes per workgroup; use smaller tiles");

        public static readonly DiagnosticDescriptor InvalidSpecialization = Error("KG0018",
            "Specialization not supported",
            "Parameter '{0}': {1}");

        public static readonly DiagnosticDescriptor UnsupportedStruct = Error("KG0019",
            "Struct not usable in kernels",
            "Struct '{0}' cannot be used in kernels: {1}");

        public static readonly DiagnosticDescriptor UnsupportedUniformStruct = Error("KG0020",
            "Struct not usable as a uniform parameter",
            "Parameter '{0}' of struct type '{1}' cannot travel in the uniform block: {2}");

        public static readonly DiagnosticDescriptor InternalError = Error("KG9999",
            "KernelGen internal error",
            "KernelGen failed on kernel '{0}': {1}. Please report this with the kernel's code; no code was generated for it.");
    }
}
