using System.Collections.Generic;
using System.Linq;
using KernelGen.Ir;
using KernelGen.Model;
using Microsoft.CodeAnalysis;

namespace KernelGen.Lowering
{
    /// <summary>
    /// .NET math methods that have a WGSL builtin of the same meaning. Each keeps its real .NET body on the CPU
    /// backend, so a kernel computes the same thing on both (within float tolerance).
    /// </summary>
    internal static class Intrinsics
    {
        // float functions, spelled alike in System.MathF and as static members of float (System.Single).
        private static readonly Dictionary<string, string> Float = new Dictionary<string, string>
        {
            ["Abs"] = "abs", ["Max"] = "max", ["Min"] = "min", ["Exp"] = "exp", ["Log"] = "log", ["Log2"] = "log2",
            ["Sqrt"] = "sqrt", ["Pow"] = "pow", ["Sin"] = "sin", ["Cos"] = "cos", ["Tan"] = "tan", ["Tanh"] = "tanh",
            ["Sinh"] = "sinh", ["Cosh"] = "cosh", ["Asin"] = "asin", ["Acos"] = "acos", ["Atan"] = "atan",
            ["Asinh"] = "asinh", ["Acosh"] = "acosh", ["Atanh"] = "atanh",
            ["Atan2"] = "atan2", ["Floor"] = "floor", ["Ceiling"] = "ceil", ["Truncate"] = "trunc",
            // Both round halves to even (MathF.Round(2.5f) == 2, WGSL round(2.5) == 2).
            ["Round"] = "round", ["FusedMultiplyAdd"] = "fma", ["ReciprocalSqrtEstimate"] = "inverseSqrt",
            ["ScaleB"] = "ldexp", ["Sign"] = "sign",
        };

        // Only on float (System.Single): the generic-math statics MathF lacks. float.Exp2 is 2^x (MathF has no Exp2).
        private static readonly Dictionary<string, string> SingleOnly = new Dictionary<string, string>
        {
            ["Exp2"] = "exp2", ["Clamp"] = "clamp", ["Lerp"] = "mix", ["DegreesToRadians"] = "radians", ["RadiansToDegrees"] = "degrees",
        };

        // System.Math on int/uint/float, and int's and uint's own statics: those WGSL defines for 32-bit scalars.
        private static readonly Dictionary<string, string> Math = new Dictionary<string, string>
        {
            ["Abs"] = "abs", ["Max"] = "max", ["Min"] = "min", ["Clamp"] = "clamp", ["Sign"] = "sign",
        };

        // Reinterpreting a float's bits (a float atomic built from Atomic.CompareExchange on uint needs them).
        private static readonly Dictionary<string, string> BitCasts = new Dictionary<string, string>
        {
            ["SingleToInt32Bits"] = "bitcast<i32>", ["SingleToUInt32Bits"] = "bitcast<u32>",
            ["Int32BitsToSingle"] = "bitcast<f32>", ["UInt32BitsToSingle"] = "bitcast<f32>",
        };

        /// <summary>The WGSL builtin for <paramref name="method"/>, or null when it has none.</summary>
        public static string? WgslFunction(IMethodSymbol method)
        {
            var type = method.ContainingType;
            if (type is null || !method.IsStatic || type.ContainingNamespace is not { Name: "System" } ns || !ns.ContainingNamespace.IsGlobalNamespace)
                return null;
            // Round with a MidpointRounding or digits argument has no WGSL equivalent.
            if (method.Name == "Round" && method.Parameters.Length != 1) return null;
            // WGSL's sign is defined for f32 and i32 only.
            if (method.Name == "Sign" && method.Parameters.FirstOrDefault()?.Type.SpecialType is not (SpecialType.System_Single or SpecialType.System_Int32))
                return null;
            string? function;
            switch (type.SpecialType)
            {
                case SpecialType.System_Single:
                    return Float.TryGetValue(method.Name, out function) || SingleOnly.TryGetValue(method.Name, out function) ? function : null;
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                    return Math.TryGetValue(method.Name, out function) ? function : null;
            }
            if (type.Name == "BitConverter" && BitCasts.TryGetValue(method.Name, out var bitcast)) return bitcast;
            if (type.Name == "MathF" && Float.TryGetValue(method.Name, out var f)) return f;
            if (type.Name == "Math" && Math.TryGetValue(method.Name, out var m)) return m;
            return null;
        }

        /// <summary>
        /// The call of <paramref name="function"/>, returning <paramref name="returnType"/> as C# does. C#'s Sign returns
        /// an int for every argument type; WGSL's returns the argument's type, so a float's sign is converted:
        /// <c>i32(sign(x))</c>. (.NET throws ArithmeticException for Sign(NaN); WGSL's sign(NaN) is unspecified.)
        /// </summary>
        public static IrExpr Call(string function, IrType returnType, EquatableArray<IrExpr> arguments)
        {
            if (function == "sign" && arguments.Count == 1 && arguments[0].Type != returnType)
                return new IrConvert(returnType, new IrCall(arguments[0].Type, function, arguments));
            return new IrCall(returnType, function, arguments);
        }
    }
}
