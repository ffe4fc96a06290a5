using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace KernelGen.Lowering
{
    /// <summary>
    /// .NET math methods that have a WGSL builtin of the same meaning. Each keeps its real .NET body on the CPU
    /// backend, so a kernel computes the same thing on both (within float tolerance).
    /// </summary>
    internal static class Intrinsics
    {
        // Methods whose name differs between .NET and WGSL, or that exist only on some types; the rest map by
        // lower-casing their name (Exp -> exp).
        private static readonly Dictionary<string, string> MathF = new Dictionary<string, string>
        {
            ["Abs"] = "abs", ["Max"] = "max", ["Min"] = "min", ["Exp"] = "exp", ["Log"] = "log", ["Log2"] = "log2",
            ["Sqrt"] = "sqrt", ["Pow"] = "pow", ["Sin"] = "sin", ["Cos"] = "cos", ["Tan"] = "tan", ["Tanh"] = "tanh",
            ["Sinh"] = "sinh", ["Cosh"] = "cosh", ["Asin"] = "asin", ["Acos"] = "acos", ["Atan"] = "atan",
            ["Atan2"] = "atan2", ["Floor"] = "floor", ["Ceiling"] = "ceil", ["Truncate"] = "trunc",
            ["Round"] = "round", ["FusedMultiplyAdd"] = "fma", ["ReciprocalSqrtEstimate"] = "inverseSqrt",
        };

        // System.Math on int/uint/float: only those WGSL defines for every 32-bit scalar type.
        private static readonly Dictionary<string, string> Math = new Dictionary<string, string>
        {
            ["Abs"] = "abs", ["Max"] = "max", ["Min"] = "min", ["Clamp"] = "clamp",
        };

        /// <summary>The WGSL builtin for <paramref name="method"/>, or null when it has none.</summary>
        public static string? WgslFunction(IMethodSymbol method)
        {
            var type = method.ContainingType;
            if (type is null || type.ContainingNamespace is not { Name: "System" } ns || !ns.ContainingNamespace.IsGlobalNamespace)
                return null;
            // Round with a MidpointRounding or digits argument has no WGSL equivalent.
            if (method.Name == "Round" && method.Parameters.Length != 1) return null;
            if (type.Name == "MathF" && MathF.TryGetValue(method.Name, out var f)) return f;
            if (type.Name == "Math" && Math.TryGetValue(method.Name, out var m)) return m;
            return null;
        }
    }
}
