using System.Collections.Generic;
using KernelGen.Ir;
using Microsoft.CodeAnalysis;

namespace KernelGen.Lowering
{
    /// <summary>
    /// System.Numerics.Vector2/3/4 operators and methods that WGSL's vec2/3/4&lt;f32&gt; have, and the operators and
    /// Min/Max/Clamp/Abs of KernelGen's integer vectors.
    /// </summary>
    internal static class VectorOperators
    {
        private static readonly Dictionary<string, BinaryOp> Operators = new Dictionary<string, BinaryOp>
        {
            ["op_Addition"] = BinaryOp.Add, ["op_Subtraction"] = BinaryOp.Subtract, ["op_Multiply"] = BinaryOp.Multiply,
            ["op_Division"] = BinaryOp.Divide, ["op_Modulus"] = BinaryOp.Remainder, ["op_Equality"] = BinaryOp.Equal, ["op_Inequality"] = BinaryOp.NotEqual,
        };

        private static readonly Dictionary<string, string> Functions = new Dictionary<string, string>
        {
            ["Dot"] = "dot", ["Min"] = "min", ["Max"] = "max", ["Abs"] = "abs", ["Clamp"] = "clamp", ["SquareRoot"] = "sqrt",
            ["Lerp"] = "mix", ["Normalize"] = "normalize", ["Distance"] = "distance", ["Length"] = "length", ["LengthSquared"] = "dot",
        };

        // KernelGen's Int2..UInt4: the component-wise builtins WGSL defines for integer vectors (IntVectors.cs).
        private static readonly Dictionary<string, string> IntegerFunctions = new Dictionary<string, string>
        {
            ["Min"] = "min", ["Max"] = "max", ["Clamp"] = "clamp", ["Abs"] = "abs",
        };

        public static BinaryOp? Binary(IMethodSymbol method) =>
            TypeMapper.IsVectorType(method.ContainingType) && Operators.TryGetValue(method.Name, out var op) ? op : (BinaryOp?)null;

        /// <summary>The WGSL builtin for a vector method; instance methods take the vector as their first argument.</summary>
        public static string? Function(IMethodSymbol method)
        {
            string? function = null;
            if (TypeMapper.IsNumericsVector(method.ContainingType, out _)) Functions.TryGetValue(method.Name, out function);
            else if (method.IsStatic && TypeMapper.IsIntegerVector(method.ContainingType, out _, out _)) IntegerFunctions.TryGetValue(method.Name, out function);
            if (function is null) return null;
            // Only overloads whose every parameter is a float or a vector of the kernel language.
            foreach (var parameter in method.Parameters)
                if (TypeMapper.Map(parameter.Type) is null) return null;
            return function;
        }
    }
}
