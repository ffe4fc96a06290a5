namespace KernelGen.Ir
{
    /// <summary>
    /// Evaluates integer IR made only of literals and arithmetic: array sizes written with [Specialize] parameters
    /// (stackalloc float[tile * tile]) are constants in each variant, though not to the C# compiler.
    /// </summary>
    internal static class IrFolder
    {
        public static long? TryFoldInteger(IrExpr expression)
        {
            switch (expression)
            {
                case IrLiteral literal when literal.Type.IsInteger && !literal.Type.IsVector:
                    return long.TryParse(literal.Text.TrimEnd('i', 'u'), System.Globalization.NumberStyles.AllowLeadingSign,
                        System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : (long?)null;
                case IrConvert convert when convert.Type.IsInteger:
                    return TryFoldInteger(convert.Operand);
                case IrUnary { Op: UnaryOp.Negate } unary:
                    return -TryFoldInteger(unary.Operand);
                case IrBinary binary:
                {
                    var left = TryFoldInteger(binary.Left);
                    var right = TryFoldInteger(binary.Right);
                    if (left is null || right is null) return null;
                    long l = left.Value, r = right.Value;
                    switch (binary.Op)
                    {
                        case BinaryOp.Add: return l + r;
                        case BinaryOp.Subtract: return l - r;
                        case BinaryOp.Multiply: return l * r;
                        case BinaryOp.Divide: return r == 0 ? (long?)null : l / r;
                        case BinaryOp.Remainder: return r == 0 ? (long?)null : l % r;
                        case BinaryOp.ShiftLeft: return l << (int)(r & 31);
                        case BinaryOp.ShiftRight: return l >> (int)(r & 31);
                        case BinaryOp.BitAnd: return l & r;
                        case BinaryOp.BitOr: return l | r;
                        case BinaryOp.BitXor: return l ^ r;
                        default: return null;
                    }
                }
                default:
                    return null;
            }
        }
    }
}
