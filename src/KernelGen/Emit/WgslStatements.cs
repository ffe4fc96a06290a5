using System.Linq;
using KernelGen.Ir;

namespace KernelGen.Emit
{
    /// <summary>Writes IR statements as WGSL, one per line, choosing <c>for</c>/<c>while</c> where the loop fits them.</summary>
    internal sealed class WgslStatements
    {
        private readonly WgslExpressions expressions;
        private readonly CodeWriter writer;

        public WgslStatements(WgslExpressions expressions, CodeWriter writer)
        {
            this.expressions = expressions;
            this.writer = writer;
        }

        public void WriteBlock(IrBlock block)
        {
            foreach (var statement in block.Statements) Write(statement);
        }

        private void Write(IrStmt statement)
        {
            writer.MarkSource(statement.Line);
            switch (statement)
            {
                case IrIf conditional:
                    WriteIf(conditional, "if");
                    break;
                case IrLoop loop:
                    WriteLoop(loop);
                    break;
                case IrSwitch @switch:
                    writer.Open("switch (" + E(@switch.Selector) + ")");
                    foreach (var c in @switch.Cases)
                    {
                        var labels = c.Values.Select(E).ToList();
                        if (c.IsDefault) labels.Add("default");
                        writer.Open((c.Values.Count > 0 ? "case " : "") + string.Join(", ", labels) + ":");
                        WriteBlock(c.Body);
                        writer.Close();
                    }
                    writer.Close();
                    break;
                case IrNestedBlock nested:
                    writer.Open("");
                    WriteBlock(nested.Block);
                    writer.Close();
                    break;
                default:
                    writer.Line(Simple(statement) + ";");
                    break;
            }
        }

        /// <summary>A statement that fits on one line; also the init/update parts of a <c>for</c> header.</summary>
        private string Simple(IrStmt statement)
        {
            switch (statement)
            {
                case IrDeclare declare:
                    return (declare.Mutable ? "var " : "let ") + declare.Name + ": " + declare.Type.Wgsl +
                           (declare.Initializer is null ? "" : " = " + E(declare.Initializer));
                case IrDeclareArray array:
                    return "var " + array.Name + ": array<" + array.ElementType.Wgsl + ", " + array.Length + ">";
                case IrAssign assign:
                    return E(assign.Target) + " " + (assign.CompoundOp is { } op ? WgslExpressions.BinarySymbol(op) : "") + "= " + E(assign.Value);
                case IrIncrement increment:
                    return E(increment.Target) + (increment.Increment ? "++" : "--");
                case IrReturn ret:
                    return ret.Value is null ? "return" : "return " + E(ret.Value);
                case IrBreak:
                    return "break";
                case IrContinue:
                    return "continue";
                case IrCallStatement call:
                    // WGSL builtins that return a value must have it used; "_ =" discards it explicitly.
                    return (call.Call.Type.Scalar == ScalarKind.Void ? "" : "_ = ") + E(call.Call);
                default:
                    throw new System.InvalidOperationException("No one-line WGSL form for " + statement.GetType().Name);
            }
        }

        private void WriteIf(IrIf conditional, string keyword)
        {
            writer.Open(keyword + " (" + E(conditional.Condition) + ")");
            WriteBlock(conditional.Then);
            if (conditional.Else is null)
            {
                writer.Close();
                return;
            }
            writer.Outdent();
            if (conditional.Else.Statements.Count == 1 && conditional.Else.Statements[0] is IrIf elseIf)
            {
                WriteIf(elseIf, "} else if");
                return;
            }
            writer.Line("} else {");
            writer.Indent();
            WriteBlock(conditional.Else);
            writer.Close();
        }

        private void WriteLoop(IrLoop loop)
        {
            bool simpleInit = loop.Initializers.Statements.Count == 0 ||
                              (loop.Initializers.Statements.Count == 1 && loop.Initializers.Statements[0] is IrDeclare or IrAssign);
            bool simpleUpdate = loop.Updates.Statements.Count == 0 ||
                                (loop.Updates.Statements.Count == 1 && loop.Updates.Statements[0] is IrAssign or IrIncrement);
            if (!loop.ConditionAtEnd && simpleInit && simpleUpdate)
            {
                if (loop.Initializers.Statements.Count == 0 && loop.Updates.Statements.Count == 0 && loop.Condition is not null)
                {
                    writer.Open("while (" + E(loop.Condition) + ")");
                }
                else
                {
                    string init = loop.Initializers.Statements.Count == 0 ? "" : Simple(loop.Initializers.Statements[0]);
                    string update = loop.Updates.Statements.Count == 0 ? "" : Simple(loop.Updates.Statements[0]);
                    string condition = loop.Condition is null ? "" : E(loop.Condition);
                    writer.Open("for (" + init + "; " + condition + "; " + update + ")");
                }
                WriteBlock(loop.Body);
                writer.Close();
                return;
            }

            // The general form: initializers in a block of their own, the condition as a break at the top (or,
            // for do/while, as "break if" at the end of continuing), updates in continuing so "continue" runs them.
            bool scoped = loop.Initializers.Statements.Count > 0;
            if (scoped)
            {
                writer.Open("");
                WriteBlock(loop.Initializers);
            }
            writer.Open("loop");
            if (!loop.ConditionAtEnd && loop.Condition is not null)
            {
                writer.Open("if (!(" + E(loop.Condition) + "))");
                writer.Line("break;");
                writer.Close();
            }
            WriteBlock(loop.Body);
            if (loop.Updates.Statements.Count > 0 || loop.ConditionAtEnd)
            {
                writer.Open("continuing");
                WriteBlock(loop.Updates);
                if (loop.ConditionAtEnd && loop.Condition is not null) writer.Line("break if !(" + E(loop.Condition) + ");");
                writer.Close();
            }
            writer.Close();
            if (scoped) writer.Close();
        }

        private string E(IrExpr expression) => expressions.Emit(expression);
    }
}
