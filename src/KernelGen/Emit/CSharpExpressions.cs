using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelGen.Ir;
using KernelGen.Model;

namespace KernelGen.Emit
{
    /// <summary>
    /// Spells IR expressions in C#, for the CPU backend's phased workgroup code (see <see cref="CpuPhasedEmitter"/>).
    /// Each per-invocation local is a span slot <c>name[__lid]</c>; the invocation index is an expression so
    /// uniform conditions can be evaluated for invocation 0. Every binary expression is parenthesised: this code is
    /// compiled, not read. Returns null for anything it cannot spell, and the caller then falls back.
    /// </summary>
    internal sealed class CSharpExpressions
    {
        private readonly KernelModel kernel;
        private readonly Dictionary<string, string> parameterNames;

        public CSharpExpressions(KernelModel kernel)
        {
            this.kernel = kernel;
            parameterNames = kernel.Parameters.ToDictionary(p => p.WgslName, p => CSharpName(p.CSharpName));
        }

        /// <summary>The span holding a local's per-invocation values (named by WGSL name and type).</summary>
        public static string LocalSpan(string name, IrType type) => name + "__" + type.ScalarWgsl + (type.Lanes > 1 ? type.Lanes.ToString(CultureInfo.InvariantCulture) : "");

        public static string CSharpName(string name) =>
            Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

        /// <summary>Local arrays (stackalloc in the kernel) by WGSL name: element count per invocation.</summary>
        public Dictionary<string, int> LocalArrays { get; } = new Dictionary<string, int>();

        public HashSet<string> WorkgroupArrays { get; } = new HashSet<string>();

        public string? Emit(IrExpr expression, string lid)
        {
            switch (expression)
            {
                case IrLiteral literal:
                    return Literal(literal);
                case IrLocal local:
                    return LocalSpan(local.Name, local.Type) + "[" + lid + "]";
                case IrUniform uniform:
                    return parameterNames.TryGetValue(uniform.Name, out var scalar) ? scalar : null;
                case IrBufferElement element:
                    return Index(parameterNames.TryGetValue(element.Buffer, out var buffer) ? buffer : null, element.Index, lid);
                case IrArrayElement element when WorkgroupArrays.Contains(element.Array):
                {
                    var index = Emit(element.Index, lid);
                    return index is null ? null : element.Array + "[(int)(" + index + ")]"; // spans take int indices
                }
                case IrArrayElement element when LocalArrays.TryGetValue(element.Array, out int length):
                {
                    var index = Emit(element.Index, lid);
                    return index is null ? null : element.Array + "[" + lid + " * " + length + " + (int)(" + index + ")]";
                }
                case IrBufferLength length:
                    return parameterNames.TryGetValue(length.Buffer, out var lengthOf) ? lengthOf + ".Length" : null;
                case IrBuiltin builtin:
                    return builtin.Kind switch
                    {
                        BuiltinKind.GlobalId => "__wg.GlobalId(" + lid + ")",
                        BuiltinKind.LocalId => "__wg.LocalId(" + lid + ")",
                        BuiltinKind.WorkgroupId => "__wg.WorkgroupId",
                        BuiltinKind.NumWorkgroups => "__wg.NumWorkgroups",
                        _ => "(uint)" + lid,
                    };
                case IrComponent component:
                {
                    var vector = Emit(component.Vector, lid);
                    return vector is null ? null : vector + "." + char.ToUpperInvariant(component.Lane);
                }
                case IrMember member:
                {
                    var target = Emit(member.Target, lid);
                    return target is null ? null : target + "." + CSharpName(member.CSharpMember);
                }
                case IrUnary unary:
                {
                    var operand = Emit(unary.Operand, lid);
                    return operand is null ? null : "(" + (unary.Op == UnaryOp.Negate ? "-" : unary.Op == UnaryOp.Not ? "!" : "~") + operand + ")";
                }
                case IrBinary binary:
                {
                    var left = Emit(binary.Left, lid);
                    var right = Emit(binary.Right, lid);
                    if (left is null || right is null) return null;
                    // C# shifts take an int count (WGSL a u32): same value, masked alike.
                    if (binary.Op is BinaryOp.ShiftLeft or BinaryOp.ShiftRight) right = "(int)(" + right + ")";
                    return "(" + left + " " + WgslExpressions.BinarySymbol(binary.Op) + " " + right + ")";
                }
                case IrConvert convert:
                {
                    var operand = Emit(convert.Operand, lid);
                    if (operand is null) return null;
                    return convert.Type.IsVector ? "new " + convert.Type.CSharp + "(" + operand + ")" : "unchecked((" + convert.Type.CSharp + ")(" + operand + "))";
                }
                case IrSelect select:
                {
                    var c = Emit(select.Condition, lid);
                    var t = Emit(select.WhenTrue, lid);
                    var f = Emit(select.WhenFalse, lid);
                    return c is null || t is null || f is null ? null : "(" + c + " ? " + t + " : " + f + ")";
                }
                case IrCall call:
                    return Call(call, lid);
                default:
                    return null;
            }
        }

        private string? Index(string? array, IrExpr index, string lid)
        {
            var i = Emit(index, lid);
            return array is null || i is null ? null : array + "[" + i + "]";
        }

        private string? Call(IrCall call, string lid)
        {
            var args = call.Arguments.Select(a => a is IrAddressOf ? null : Emit(a, lid)).ToList();
            if (call.CSharpCallee is { } helper)
                return args.Any(a => a is null) ? null : helper + "(" + string.Join(", ", args) + ")";
            if (call.Function.StartsWith("atomic", System.StringComparison.Ordinal))
                return null; // atomics in phased code: left to the thread-per-invocation path
            if (call.Function is "all" or "any" && call.Arguments[0] is IrBinary comparison)
                return Emit(new IrBinary(IrType.Bool, comparison.Op, comparison.Left, comparison.Right), lid);
            if (args.Any(a => a is null)) return null;
            if (call.Type.IsVector && call.Function == call.Type.Wgsl)
                return "new " + call.Type.CSharp + "(" + string.Join(", ", args) + ")";
            var first = call.Arguments.Count > 0 ? call.Arguments[0].Type : call.Type;
            if (first.IsVector)
            {
                if (call.Function == "length") return args[0] + ".Length()";
                string? method = call.Function switch
                {
                    "dot" => "Dot", "min" => "Min", "max" => "Max", "abs" => "Abs", "clamp" => "Clamp", "sqrt" => "SquareRoot",
                    "mix" => "Lerp", "normalize" => "Normalize", "distance" => "Distance", _ => null,
                };
                return method is null ? null : first.CSharp + "." + method + "(" + string.Join(", ", args) + ")";
            }
            if (first.Scalar == ScalarKind.F32)
            {
                string? method = call.Function switch
                {
                    "abs" => "MathF.Abs", "max" => "MathF.Max", "min" => "MathF.Min", "exp" => "MathF.Exp", "log" => "MathF.Log",
                    "log2" => "MathF.Log2", "sqrt" => "MathF.Sqrt", "pow" => "MathF.Pow", "sin" => "MathF.Sin", "cos" => "MathF.Cos",
                    "tan" => "MathF.Tan", "tanh" => "MathF.Tanh", "sinh" => "MathF.Sinh", "cosh" => "MathF.Cosh", "asin" => "MathF.Asin",
                    "acos" => "MathF.Acos", "atan" => "MathF.Atan", "atan2" => "MathF.Atan2", "floor" => "MathF.Floor",
                    "ceil" => "MathF.Ceiling", "trunc" => "MathF.Truncate", "round" => "MathF.Round", "fma" => "MathF.FusedMultiplyAdd",
                    "inverseSqrt" => "MathF.ReciprocalSqrtEstimate", "clamp" => "Math.Clamp",
                    "exp2" => "Single.Exp2", "sign" => "MathF.Sign", "asinh" => "MathF.Asinh", "acosh" => "MathF.Acosh",
                    "atanh" => "MathF.Atanh", "ldexp" => "MathF.ScaleB", "mix" => "Single.Lerp", "radians" => "Single.DegreesToRadians",
                    "degrees" => "Single.RadiansToDegrees", "bitcast<i32>" => "BitConverter.SingleToInt32Bits",
                    "bitcast<u32>" => "BitConverter.SingleToUInt32Bits", _ => null,
                };
                return method is null ? null : "global::System." + method + "(" + string.Join(", ", args) + ")";
            }
            if (first.IsInteger && call.Function == "bitcast<f32>")
                return "global::System.BitConverter." + (first.Scalar == ScalarKind.I32 ? "Int32BitsToSingle(" : "UInt32BitsToSingle(") + args[0] + ")";
            if (first.IsInteger && call.Function is "abs" or "max" or "min" or "clamp" or "sign")
                return "global::System.Math." + char.ToUpperInvariant(call.Function[0]) + call.Function.Substring(1) + "(" + string.Join(", ", args) + ")";
            return null;
        }

        /// <summary>"0x1.fffffep+127f" (see Literals.Hex) back to a C# float literal with the same bits.</summary>
        private static string FromHex(string text)
        {
            bool negative = text[0] == '-';
            var body = text.TrimStart('-').Substring(4).TrimEnd('f'); // after "0x1."
            var parts = body.Split('p');
            double mantissa = 1 + int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 16777216.0;
            double value = mantissa * System.Math.Pow(2, int.Parse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            return (negative ? "-" : "") + ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        private static string? Literal(IrLiteral literal)
        {
            var text = literal.Text;
            if (literal.Type.IsVector || literal.Type.Struct is not null)
                return text.EndsWith("()", System.StringComparison.Ordinal) ? "default(" + literal.Type.CSharp + ")" : null;
            if (text.Contains("kg_positive_infinity_bits")) return "float.PositiveInfinity";
            if (text.Contains("kg_negative_infinity_bits")) return "float.NegativeInfinity";
            if (text.Contains("kg_nan_bits")) return "float.NaN";
            if (text == "(-2147483647i - 1i)") return "int.MinValue";
            if (text.EndsWith("i", System.StringComparison.Ordinal)) return text.Substring(0, text.Length - 1);
            if (text.StartsWith("0x", System.StringComparison.Ordinal) || text.StartsWith("-0x", System.StringComparison.Ordinal))
                return FromHex(text);
            return text; // 1.5f, 1e-05f, 7u, true, false: the same in C#
        }
    }
}
