using KernelGen.Model;

namespace KernelGen.Ir
{
    /// <summary>A WGSL statement. Each carries the C# line it came from, for readable errors and comments.</summary>
    internal abstract record IrStmt(int Line);

    internal sealed record IrBlock(EquatableArray<IrStmt> Statements);

    /// <summary><c>let</c> (never reassigned) or <c>var</c> declaration.</summary>
    internal sealed record IrDeclare(int Line, string Name, IrType Type, IrExpr? Initializer, bool Mutable) : IrStmt(Line);

    /// <summary><c>var name: array&lt;T, N&gt;;</c>, zero-initialised like C#'s stackalloc.</summary>
    internal sealed record IrDeclareArray(int Line, string Name, IrType ElementType, int Length) : IrStmt(Line);

    /// <summary><c>target = value;</c> or, with <see cref="CompoundOp"/>, <c>target += value;</c>.</summary>
    internal sealed record IrAssign(int Line, IrExpr Target, IrExpr Value, BinaryOp? CompoundOp) : IrStmt(Line);

    /// <summary><c>target++;</c> / <c>target--;</c>.</summary>
    internal sealed record IrIncrement(int Line, IrExpr Target, bool Increment) : IrStmt(Line);

    internal sealed record IrIf(int Line, IrExpr Condition, IrBlock Then, IrBlock? Else) : IrStmt(Line);

    internal sealed record IrReturn(int Line, IrExpr? Value) : IrStmt(Line);

    /// <summary>
    /// A loop in WGSL's general form: <c>loop { if (!cond) { break; } body; continuing { update; } }</c>, written as
    /// a <c>for</c> or <c>while</c> by the emitter when the parts fit those forms.
    /// </summary>
    internal sealed record IrLoop(int Line, IrBlock Initializers, IrExpr? Condition, bool ConditionAtEnd, IrBlock Updates, IrBlock Body) : IrStmt(Line);

    internal sealed record IrBreak(int Line) : IrStmt(Line);

    /// <summary>One clause of a switch: its constant values, and whether it is also the default.</summary>
    internal sealed record IrSwitchCase(EquatableArray<IrExpr> Values, bool IsDefault, IrBlock Body);

    /// <summary><c>switch (selector) { case 1i, 2i: { ... } default: { ... } }</c>; WGSL requires the default.</summary>
    internal sealed record IrSwitch(int Line, IrExpr Selector, EquatableArray<IrSwitchCase> Cases) : IrStmt(Line);

    internal sealed record IrContinue(int Line) : IrStmt(Line);

    /// <summary>A call whose value is not used (a helper function or a void intrinsic).</summary>
    internal sealed record IrCallStatement(int Line, IrCall Call) : IrStmt(Line);

    internal sealed record IrNestedBlock(int Line, IrBlock Block) : IrStmt(Line);
}
