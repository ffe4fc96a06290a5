using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelGen.Ir;
using KernelGen.Model;

namespace KernelGen.Emit
{
    /// <summary>
    /// Which invocation an expression is spelled for: inside a work-item loop (<see cref="Loop"/>) every local is a
    /// plain C# local and the ids come from the loop counters; for a uniform condition (<see cref="First"/>)
    /// invocation 0's values are read from the per-invocation spans.
    /// </summary>
    internal sealed class WorkItem
    {
        private WorkItem(string index, string x, string y, string z, bool uniform, string suffix = "")
        {
            Index = index;
            X = x;
            Y = y;
            Z = z;
            IsUniform = uniform;
            LocalSuffix = suffix;
        }

        /// <summary>What this invocation's locals add to their names: its lane (<c>__l2</c>) when four run together.</summary>
        public string LocalSuffix { get; }

        /// <summary>The local index as an int expression.</summary>
        public string Index { get; }

        /// <summary>The local id's components as uint expressions.</summary>
        public string X { get; }
        public string Y { get; }
        public string Z { get; }

        public bool IsUniform { get; }

        /// <summary>
        /// The work-item loop's invocation: a 1D workgroup counts <c>__lid</c> only; otherwise nested loops count
        /// <c>__lx</c> and, for axes longer than 1, <c>__ly</c> and <c>__lz</c>, with <c>__lid</c> alongside.
        /// </summary>
        public static WorkItem Loop(int sizeY, int sizeZ) =>
            sizeY == 1 && sizeZ == 1
                ? new WorkItem("__lid", "(uint)__lid", "0u", "0u", uniform: false)
                : new WorkItem("__lid", "__lx", sizeY == 1 ? "0u" : "__ly", sizeZ == 1 ? "0u" : "__lz", uniform: false);

        /// <summary>
        /// Lane <paramref name="lane"/> of a group of neighbouring invocations along x that run together
        /// (<see cref="LanePlan"/>): the group's counters step by the group's size, the lane adds its offset.
        /// </summary>
        public static WorkItem Lane(int lane, int sizeY, int sizeZ)
        {
            string index = "(__lid + " + lane + ")";
            return sizeY == 1 && sizeZ == 1
                ? new WorkItem(index, "(uint)" + index, "0u", "0u", uniform: false, "__l" + lane)
                : new WorkItem(index, "(__lx + " + lane + "u)", sizeY == 1 ? "0u" : "__ly", sizeZ == 1 ? "0u" : "__lz", uniform: false, "__l" + lane);
        }

        public static readonly WorkItem First = new WorkItem("0", "0u", "0u", "0u", uniform: true);
    }

    /// <summary>
    /// Spells IR expressions in C#, for the CPU backend's work-item-loop code (see <see cref="CpuPhasedEmitter"/>).
    /// Inside a loop each kernel local is a C# local (<see cref="LocalName"/>); locals that live across a barrier
    /// also have a per-invocation span (<see cref="LocalSpan"/>) that uniform conditions read for invocation 0.
    /// Every binary expression is parenthesised: this code is compiled, not read. Returns null for anything it
    /// cannot spell, and the caller then falls back.
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

        /// <summary>A local's C# name inside a work-item loop (named by WGSL name and type; never a keyword).</summary>
        public static string LocalName(string name, IrType type) => name + "__" + type.ScalarWgsl + (type.Lanes > 1 ? type.Lanes.ToString(CultureInfo.InvariantCulture) : "");

        /// <summary>Locals that the lanes of a group share (<see cref="LanePlan.Shared"/>): spelled without a lane.</summary>
        public HashSet<(string Name, IrType Type)> LaneShared { get; } = new HashSet<(string, IrType)>();

        /// <summary>A local as one invocation (or lane) sees it.</summary>
        public string Local(string name, IrType type, WorkItem lid) =>
            LaneShared.Contains((name, type)) ? LocalName(name, type) : LocalName(name, type) + lid.LocalSuffix;

        /// <summary>The span holding the per-invocation values of a local that lives across a barrier.</summary>
        public static string LocalSpan(string name, IrType type) => LocalName(name, type) + "__all";

        public static string CSharpName(string name) =>
            Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

        /// <summary>Local arrays (stackalloc in the kernel) by WGSL name: element count per invocation.</summary>
        public Dictionary<string, int> LocalArrays { get; } = new Dictionary<string, int>();

        /// <summary>Local arrays used inside one work-item loop only: one invocation's slot, reused by each.</summary>
        public HashSet<string> SingleSlotArrays { get; } = new HashSet<string>();

        public HashSet<string> WorkgroupArrays { get; } = new HashSet<string>();

        public string? Emit(IrExpr expression, WorkItem lid)
        {
            switch (expression)
            {
                case IrLiteral literal:
                    return Literal(literal);
                case IrLocal local:
                    return lid.IsUniform ? LocalSpan(local.Name, local.Type) + "[0]" : Local(local.Name, local.Type, lid);
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
                    if (index is null) return null;
                    return SingleSlotArrays.Contains(element.Array)
                        ? element.Array + "[(int)(" + index + ")]"
                        : element.Array + "[" + lid.Index + " * " + length + " + (int)(" + index + ")]";
                }
                case IrBufferLength length:
                    return parameterNames.TryGetValue(length.Buffer, out var lengthOf) ? lengthOf + ".Length" : null;
                case IrBuiltin builtin:
                    return builtin.Kind switch
                    {
                        BuiltinKind.GlobalId => "new global::KernelGen.UInt3(" + Lane(builtin, 'x', lid) + ", " + Lane(builtin, 'y', lid) + ", " + Lane(builtin, 'z', lid) + ")",
                        BuiltinKind.LocalId => "new global::KernelGen.UInt3(" + lid.X + ", " + lid.Y + ", " + lid.Z + ")",
                        BuiltinKind.WorkgroupId => "__wg.WorkgroupId",
                        BuiltinKind.NumWorkgroups => "__wg.NumWorkgroups",
                        _ => "(uint)" + lid.Index,
                    };
                case IrComponent { Vector: IrBuiltin { Kind: BuiltinKind.GlobalId or BuiltinKind.LocalId } builtin } component:
                    return Lane(builtin, component.Lane, lid);
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

        /// <summary>One lane of the global or local id: the workgroup's origin (<c>__ox</c>, computed once) plus the loop counter.</summary>
        private static string Lane(IrBuiltin builtin, char lane, WorkItem lid)
        {
            string local = lane == 'x' ? lid.X : lane == 'y' ? lid.Y : lid.Z;
            return builtin.Kind == BuiltinKind.LocalId ? local : "(__o" + lane + " + " + local + ")";
        }

        /// <summary>
        /// True when buffers are indexed through spans taken once per workgroup (<see cref="SpanName"/>): barrier-free
        /// code, whose failures the runtime names by running the workgroup again through the kernel's own method.
        /// </summary>
        public bool IndexThroughSpans { get; set; }

        /// <summary>The span local of a buffer parameter (its C# name) in <see cref="IndexThroughSpans"/> code.</summary>
        public static string SpanName(string buffer) => buffer + "__span";

        private string? Index(string? array, IrExpr index, WorkItem lid)
        {
            var i = Emit(index, lid);
            if (array is null || i is null) return null;
            return IndexThroughSpans ? SpanName(array) + "[unchecked((int)(" + i + "))]" : array + "[" + i + "]";
        }

        private string? Call(IrCall call, WorkItem lid)
        {
            var args = call.Arguments.Select(a => a is IrAddressOf ? null : Emit(a, lid)).ToList();
            if (call.CSharpCallee is { } helper)
                return args.Any(a => a is null) ? null : helper + "(" + string.Join(", ", args) + ")";
            if (call.Function.StartsWith("atomic", System.StringComparison.Ordinal))
                return Atomic(call, lid);
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

        /// <summary>
        /// An atomic on a buffer element, as the kernel wrote it in C#: <c>Atomic.Add(buffer, index, value)</c> and
        /// friends, and plain reads and writes for the loads and stores WGSL needs on an <c>atomic&lt;T&gt;</c> buffer.
        /// </summary>
        private string? Atomic(IrCall call, WorkItem lid)
        {
            if (call.Arguments.Count == 0 || call.Arguments[0] is not IrAddressOf { Target: IrBufferElement element } ||
                !parameterNames.TryGetValue(element.Buffer, out var buffer))
                return null;
            var index = Emit(element.Index, lid);
            var values = call.Arguments.Skip(1).Select(a => Emit(a, lid)).ToList();
            if (index is null || values.Any(v => v is null)) return null;
            string? method = call.Function switch
            {
                "atomicAdd" => "Add", "atomicExchange" => "Exchange", "atomicAnd" => "And", "atomicOr" => "Or",
                "atomicMin" => "Min", "atomicMax" => "Max", _ => null,
            };
            if (method is not null && values.Count == 1)
                return "global::KernelGen.Atomic." + method + "(" + buffer + ", unchecked((uint)(" + index + ")), " + values[0] + ")";
            if (call.Function == "atomicLoad" && values.Count == 0) return buffer + "[" + index + "]";
            if (call.Function == "atomicStore" && values.Count == 1) return buffer + "[" + index + "] = " + values[0];
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
