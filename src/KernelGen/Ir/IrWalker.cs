using System.Collections.Generic;

namespace KernelGen.Ir
{
    /// <summary>Enumerates every expression of a block, statements and sub-expressions included.</summary>
    internal static class IrWalker
    {
        public static IEnumerable<IrExpr> Expressions(IrBlock block)
        {
            foreach (var statement in block.Statements)
            foreach (var expression in Expressions(statement))
                yield return expression;
        }

        private static IEnumerable<IrExpr> Expressions(IrStmt statement)
        {
            switch (statement)
            {
                case IrDeclare { Initializer: { } init }:
                    foreach (var e in Walk(init)) yield return e;
                    break;
                case IrAssign assign:
                    foreach (var e in Walk(assign.Target)) yield return e;
                    foreach (var e in Walk(assign.Value)) yield return e;
                    break;
                case IrIncrement increment:
                    foreach (var e in Walk(increment.Target)) yield return e;
                    break;
                case IrIf conditional:
                    foreach (var e in Walk(conditional.Condition)) yield return e;
                    foreach (var e in Expressions(conditional.Then)) yield return e;
                    if (conditional.Else is not null)
                        foreach (var e in Expressions(conditional.Else)) yield return e;
                    break;
                case IrReturn { Value: { } value }:
                    foreach (var e in Walk(value)) yield return e;
                    break;
                case IrLoop loop:
                    foreach (var e in Expressions(loop.Initializers)) yield return e;
                    if (loop.Condition is not null)
                        foreach (var e in Walk(loop.Condition)) yield return e;
                    foreach (var e in Expressions(loop.Updates)) yield return e;
                    foreach (var e in Expressions(loop.Body)) yield return e;
                    break;
                case IrCallStatement call:
                    foreach (var e in Walk(call.Call)) yield return e;
                    break;
                case IrSwitch @switch:
                    foreach (var e in Walk(@switch.Selector)) yield return e;
                    foreach (var c in @switch.Cases)
                    foreach (var e in Expressions(c.Body))
                        yield return e;
                    break;
                case IrNestedBlock nested:
                    foreach (var e in Expressions(nested.Block)) yield return e;
                    break;
            }
        }

        /// <summary>Every statement of a block, nested ones included (parents before their children).</summary>
        public static IEnumerable<IrStmt> Statements(IrBlock block)
        {
            foreach (var statement in block.Statements)
            {
                yield return statement;
                IEnumerable<IrBlock> children = statement switch
                {
                    IrIf conditional => conditional.Else is null ? new[] { conditional.Then } : new[] { conditional.Then, conditional.Else },
                    IrLoop loop => new[] { loop.Initializers, loop.Body, loop.Updates },
                    IrSwitch @switch => System.Linq.Enumerable.Select(@switch.Cases, c => c.Body),
                    IrNestedBlock nested => new[] { nested.Block },
                    _ => System.Array.Empty<IrBlock>(),
                };
                foreach (var child in children)
                foreach (var nested in Statements(child))
                    yield return nested;
            }
        }

        /// <summary>The local an assignment target (<c>v</c>, <c>v.x</c>, <c>s.field</c>) writes to, if any.</summary>
        public static IrLocal? AssignedLocal(IrExpr target) => target switch
        {
            IrLocal local => local,
            IrComponent component => AssignedLocal(component.Vector),
            IrMember member => AssignedLocal(member.Target),
            _ => null,
        };

        /// <summary>
        /// The locals a block writes, by name and type, nested statements included: the targets of assignments and
        /// increments, and locals whose address is taken. Declarations are not counted.
        /// </summary>
        public static IEnumerable<(string Name, IrType Type)> WrittenLocals(IrBlock block)
        {
            foreach (var statement in Statements(block))
            {
                var target = statement switch
                {
                    IrAssign assign => AssignedLocal(assign.Target),
                    IrIncrement increment => AssignedLocal(increment.Target),
                    _ => null,
                };
                if (target is not null) yield return (target.Name, target.Type);
            }
            foreach (var expression in Expressions(block))
                if (expression is IrAddressOf { Target: var pointee } && AssignedLocal(pointee) is { } address)
                    yield return (address.Name, address.Type);
        }

        public static IEnumerable<IrExpr> Walk(IrExpr expression)
        {
            yield return expression;
            IEnumerable<IrExpr> children = expression switch
            {
                IrBufferElement element => new[] { element.Index },
                IrArrayElement element => new[] { element.Index },
                IrAddressOf address => new[] { address.Target },
                IrComponent component => new[] { component.Vector },
                IrMember member => new[] { member.Target },
                IrUnary unary => new[] { unary.Operand },
                IrBinary binary => new[] { binary.Left, binary.Right },
                IrConvert convert => new[] { convert.Operand },
                IrCall call => call.Arguments,
                IrSelect select => new[] { select.Condition, select.WhenTrue, select.WhenFalse },
                _ => System.Array.Empty<IrExpr>(),
            };
            foreach (var child in children)
            foreach (var e in Walk(child))
                yield return e;
        }
    }
}
