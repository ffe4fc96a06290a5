using System.Linq;
using KernelGen.Ir;

namespace KernelGen.Emit
{
    /// <summary>
    /// Spells IR expressions in WGSL. WGSL's grammar is stricter than C#'s: operands of bitwise operators and shifts
    /// must be unary expressions, and relational or logical operators do not mix without parentheses. This adds
    /// exactly the parentheses WGSL needs and those that keep C#'s grouping, and no others.
    /// </summary>
    internal sealed class WgslExpressions
    {
        private readonly string uniformVariable;

        public WgslExpressions(string uniformVariable) => this.uniformVariable = uniformVariable;

        public string Emit(IrExpr expression)
        {
            switch (expression)
            {
                case IrLiteral literal:
                    return literal.Text;
                case IrLocal local:
                    return local.Name;
                case IrUniform { Type.Scalar: ScalarKind.Bool } flag:
                    return "(" + uniformVariable + "." + flag.Name + " != 0u)";
                case IrUniform uniform:
                    return uniformVariable + "." + uniform.Name;
                case IrBufferElement element:
                    return element.Buffer + "[" + Emit(element.Index) + "]";
                case IrArrayElement element:
                    return element.Array + "[" + Emit(element.Index) + "]";
                case IrAddressOf address:
                    return "&" + Emit(address.Target);
                case IrBufferLength length:
                    return "arrayLength(&" + length.Buffer + ")";
                case IrBuiltin builtin:
                    return Lowering.Builtins.Wgsl(builtin.Kind).Name;
                case IrMember member:
                    return Primary(member.Target) + "." + member.Member;
                case IrComponent component:
                    return Primary(component.Vector) + "." + component.Lane;
                case IrUnary unary:
                    return UnarySymbol(unary.Op) + Unary(unary.Operand);
                case IrBinary binary:
                    return Operand(binary.Left, binary.Op, isRight: false) + " " + BinarySymbol(binary.Op) + " " +
                           Operand(binary.Right, binary.Op, isRight: true);
                case IrConvert convert:
                    return convert.Type.Wgsl + "(" + Emit(convert.Operand) + ")";
                case IrCall call when WgslCompareExchange.Target(call) is { } target:
                    return WgslCompareExchange.FunctionName(target.Buffer) + "(" + Emit(target.Index) + ", " + Emit(call.Arguments[1]) + ", " +
                           Emit(call.Arguments[2]) + ")";
                case IrCall call:
                    return call.Function + "(" + string.Join(", ", call.Arguments.Select(Emit)) + ")";
                case IrSelect select:
                    return "select(" + Emit(select.WhenFalse) + ", " + Emit(select.WhenTrue) + ", " + Emit(select.Condition) + ")";
                default:
                    throw new System.InvalidOperationException("No WGSL spelling for " + expression.GetType().Name);
            }
        }

        private string Primary(IrExpr expression) =>
            expression is IrBinary or IrUnary || expression is IrLiteral { IsNegative: true } ? "(" + Emit(expression) + ")" : Emit(expression);

        private string Unary(IrExpr operand) => Primary(operand);

        private string Operand(IrExpr child, BinaryOp parent, bool isRight)
        {
            if (child is IrLiteral { IsNegative: true } && isRight) return "(" + Emit(child) + ")";
            if (child is not IrBinary binary) return Emit(child);
            return NeedsParentheses(binary.Op, parent, isRight) ? "(" + Emit(child) + ")" : Emit(child);
        }

        private static bool NeedsParentheses(BinaryOp child, BinaryOp parent, bool isRight)
        {
            var p = ClassOf(parent);
            var c = ClassOf(child);
            switch (p)
            {
                case OpClass.Multiplicative:
                    return !(c == OpClass.Multiplicative && !isRight);
                case OpClass.Additive:
                    return !(c == OpClass.Multiplicative || (c == OpClass.Additive && !isRight));
                case OpClass.Shift:
                    return true; // WGSL: both operands of << and >> are unary expressions.
                case OpClass.Relational:
                    return c == OpClass.Relational || c == OpClass.Bitwise || c == OpClass.Logical;
                case OpClass.Bitwise:
                    return !(child == parent && !isRight); // a & b & c is fine; anything else needs parentheses.
                default: // logical
                    return c == OpClass.Bitwise || (c == OpClass.Logical && (child != parent || isRight));
            }
        }

        private enum OpClass
        {
            Multiplicative,
            Additive,
            Shift,
            Relational,
            Bitwise,
            Logical,
        }

        private static OpClass ClassOf(BinaryOp op) => op switch
        {
            BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder => OpClass.Multiplicative,
            BinaryOp.Add or BinaryOp.Subtract => OpClass.Additive,
            BinaryOp.ShiftLeft or BinaryOp.ShiftRight => OpClass.Shift,
            BinaryOp.BitAnd or BinaryOp.BitOr or BinaryOp.BitXor => OpClass.Bitwise,
            BinaryOp.LogicalAnd or BinaryOp.LogicalOr => OpClass.Logical,
            _ => OpClass.Relational,
        };

        public static string BinarySymbol(BinaryOp op) => op switch
        {
            BinaryOp.Add => "+",
            BinaryOp.Subtract => "-",
            BinaryOp.Multiply => "*",
            BinaryOp.Divide => "/",
            BinaryOp.Remainder => "%",
            BinaryOp.ShiftLeft => "<<",
            BinaryOp.ShiftRight => ">>",
            BinaryOp.BitAnd => "&",
            BinaryOp.BitOr => "|",
            BinaryOp.BitXor => "^",
            BinaryOp.Equal => "==",
            BinaryOp.NotEqual => "!=",
            BinaryOp.Less => "<",
            BinaryOp.LessEqual => "<=",
            BinaryOp.Greater => ">",
            BinaryOp.GreaterEqual => ">=",
            BinaryOp.LogicalAnd => "&&",
            _ => "||",
        };

        private static string UnarySymbol(UnaryOp op) => op switch
        {
            UnaryOp.Negate => "-",
            UnaryOp.Not => "!",
            _ => "~",
        };
    }
}
