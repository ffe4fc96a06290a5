using KernelGen.Model;

namespace KernelGen.Ir
{
    /// <summary>A typed WGSL expression. Records, so a kernel's IR compares by value in the incremental cache.</summary>
    internal abstract record IrExpr(IrType Type);

    /// <summary>A literal already spelled in WGSL (<c>1.5f</c>, <c>3u</c>, <c>bitcast&lt;f32&gt;(0x7f800000u)</c>).</summary>
    internal sealed record IrLiteral(IrType Type, string Text) : IrExpr(Type)
    {
        /// <summary>True when the spelling starts with a minus sign and needs parentheses as an operand.</summary>
        public bool IsNegative => Text.StartsWith("-", System.StringComparison.Ordinal);
    }

    /// <summary>A local variable (or a parameter of a helper function).</summary>
    internal sealed record IrLocal(IrType Type, string Name) : IrExpr(Type);

    /// <summary>A scalar kernel parameter, read from the uniform block.</summary>
    internal sealed record IrUniform(IrType Type, string Name) : IrExpr(Type);

    /// <summary><c>buffer[index]</c> on a storage buffer parameter.</summary>
    internal sealed record IrBufferElement(IrType Type, string Buffer, IrExpr Index) : IrExpr(Type);

    /// <summary><c>name[index]</c> on a function-scope array (stackalloc) or a workgroup array.</summary>
    internal sealed record IrArrayElement(IrType Type, string Array, IrExpr Index) : IrExpr(Type);

    /// <summary><c>&amp;target</c>: the pointer an atomic builtin takes.</summary>
    internal sealed record IrAddressOf(IrExpr Target) : IrExpr(Target.Type);

    /// <summary><c>arrayLength(&amp;buffer)</c>.</summary>
    internal sealed record IrBufferLength(string Buffer) : IrExpr(IrType.U32);

    internal enum BuiltinKind
    {
        GlobalId,
        LocalId,
        WorkgroupId,
        NumWorkgroups,
        LocalIndex,
    }

    /// <summary>A compute-shader builtin input (a parameter of the entry point).</summary>
    internal sealed record IrBuiltin(IrType Type, BuiltinKind Kind) : IrExpr(Type);

    /// <summary>One lane of a vector: <c>v.x</c>.</summary>
    internal sealed record IrComponent(IrType Type, IrExpr Vector, char Lane) : IrExpr(Type);

    /// <summary>A field of a user struct: <c>p.velocity</c>.</summary>
    internal sealed record IrMember(IrType Type, IrExpr Target, string Member, string CSharpMember) : IrExpr(Type);

    internal enum UnaryOp
    {
        Negate,
        Not,
        BitwiseNot,
    }

    internal sealed record IrUnary(IrType Type, UnaryOp Op, IrExpr Operand) : IrExpr(Type);

    internal enum BinaryOp
    {
        Add,
        Subtract,
        Multiply,
        Divide,
        Remainder,
        ShiftLeft,
        ShiftRight,
        BitAnd,
        BitOr,
        BitXor,
        Equal,
        NotEqual,
        Less,
        LessEqual,
        Greater,
        GreaterEqual,
        LogicalAnd,
        LogicalOr,
    }

    internal sealed record IrBinary(IrType Type, BinaryOp Op, IrExpr Left, IrExpr Right) : IrExpr(Type);

    /// <summary>A value conversion <c>f32(x)</c>, made explicit because WGSL has no implicit conversions.</summary>
    internal sealed record IrConvert(IrType Type, IrExpr Operand) : IrExpr(Type);

    /// <summary>A call of a WGSL builtin function (<c>max</c>, <c>exp</c>, ...) or of a helper function.</summary>
    /// <remarks><see cref="CSharpCallee"/> is the qualified C# method of a helper, for the CPU backend's phased code.</remarks>
    internal sealed record IrCall(IrType Type, string Function, EquatableArray<IrExpr> Arguments, string? CSharpCallee = null) : IrExpr(Type);

    /// <summary><c>c ? a : b</c> as WGSL <c>select(b, a, c)</c>: both operands are evaluated.</summary>
    internal sealed record IrSelect(IrType Type, IrExpr Condition, IrExpr WhenTrue, IrExpr WhenFalse) : IrExpr(Type);
}
