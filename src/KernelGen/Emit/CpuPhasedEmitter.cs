using System.Collections.Generic;
using System.Linq;
using KernelGen.Ir;
using KernelGen.Model;

namespace KernelGen.Emit
{
    /// <summary>
    /// For a kernel with barriers, writes a C# method that runs one whole workgroup on the CPU without a thread per
    /// invocation: the body is cut at its barriers into regions, each region runs for every invocation in turn
    /// (a loop over the local index), and every local becomes a span with one slot per invocation. Statements that
    /// contain barriers (uniform by KG0015) run once for the workgroup, their conditions read from invocation 0.
    /// This is the classic "work-item loop" transformation of CPU OpenCL implementations.
    ///
    /// Returns null when the kernel uses something this transformation does not handle (barriers in helpers or
    /// switches, break/continue crossing a barrier region, atomics); the CPU backend then runs one thread per
    /// invocation, which handles everything.
    /// </summary>
    internal sealed class CpuPhasedEmitter
    {
        public const string MethodName = "CpuWorkgroup";
        private const int StackLimitBytes = 256 * 1024;

        private readonly KernelModel kernel;
        private readonly CSharpExpressions expressions;
        private readonly CodeWriter writer = new CodeWriter();
        private int labels;
        private bool failed;

        private CpuPhasedEmitter(KernelModel kernel)
        {
            this.kernel = kernel;
            expressions = new CSharpExpressions(kernel);
        }

        /// <summary>The method's lines (unindented), or null when the kernel cannot be phased.</summary>
        public static IReadOnlyList<string>? TryEmit(KernelModel kernel)
        {
            if (!kernel.UsesBarriers || kernel.Functions.Any(f => ContainsBarrier(f.Body))) return null;
            var emitter = new CpuPhasedEmitter(kernel);
            emitter.Emit();
            return emitter.failed ? null : emitter.writer.ToString().TrimEnd('\n').Split('\n');
        }

        private int Size => kernel.WorkgroupX * kernel.WorkgroupY * kernel.WorkgroupZ;

        private void Emit()
        {
            var locals = new HashSet<(string Name, IrType Type)>();
            CollectLocals(kernel.Body, locals);
            long bytes = locals.Sum(l => (long)Size * Bytes(l.Type)) +
                         expressions.LocalArrays.Sum(a => (long)Size * a.Value * 16) +
                         kernel.WorkgroupArrays.Sum(a => (long)a.Length * Bytes(a.ElementType));
            if (failed || bytes > StackLimitBytes) { failed = true; return; }
            foreach (var array in kernel.WorkgroupArrays) expressions.WorkgroupArrays.Add(array.Name);

            var parameters = new List<string> { "global::KernelGen.Cpu.WorkgroupIds __wg" };
            parameters.AddRange(kernel.Parameters.Select(p => p.Kind switch
            {
                ParameterKind.ReadOnlyBuffer => "global::KernelGen.ReadOnlyBuffer<" + p.Type.CSharp + "> ",
                ParameterKind.ReadWriteBuffer => "global::KernelGen.ReadWriteBuffer<" + p.Type.CSharp + "> ",
                _ => p.Type.CSharp + " ",
            } + CSharpExpressions.CSharpName(p.CSharpName)));

            writer.Line("/// <summary>Runs one workgroup of the kernel on the CPU, in phases between its barriers (generated from the same IR as the WGSL).</summary>");
            writer.Line("#pragma warning disable CS0162, CS0164 // unreachable code and unused labels are normal in generated phases");
            writer.OpenBlock("private static void " + MethodName + kernel.VariantSuffix + "(" + string.Join(", ", parameters) + ")");
            writer.Line("const int __size = " + Size + ";");
            writer.Line("global::System.Span<bool> __exited = stackalloc bool[__size];");
            foreach (var (name, type) in locals.OrderBy(l => l.Name, System.StringComparer.Ordinal))
                writer.Line("global::System.Span<" + type.CSharp + "> " + CSharpExpressions.LocalSpan(name, type) + " = stackalloc " + type.CSharp + "[__size];");
            foreach (var array in ArrayDeclarations())
                writer.Line(array);
            foreach (var array in kernel.WorkgroupArrays)
                writer.Line("global::System.Span<" + array.ElementType.CSharp + "> " + array.Name + " = stackalloc " + array.ElementType.CSharp + "[" + array.Length + "];");
            Lockstep(kernel.Body);
            writer.Close();
            writer.Line("#pragma warning restore CS0162, CS0164");
        }

        private readonly List<(string Name, IrType Element, int Length)> localArrays = new List<(string, IrType, int)>();

        private IEnumerable<string> ArrayDeclarations() => localArrays.Select(a =>
            "global::System.Span<" + a.Element.CSharp + "> " + a.Name + " = stackalloc " + a.Element.CSharp + "[__size * " + a.Length + "];");

        private void CollectLocals(IrBlock block, HashSet<(string, IrType)> locals)
        {
            foreach (var statement in IrWalker.Statements(block))
            {
                if (statement is IrDeclare declare) locals.Add((declare.Name, declare.Type));
                if (statement is not IrDeclareArray array) continue;
                if (expressions.LocalArrays.TryGetValue(array.Name, out int known) && known != array.Length) failed = true;
                if (!expressions.LocalArrays.ContainsKey(array.Name)) localArrays.Add((array.Name, array.ElementType, array.Length));
                expressions.LocalArrays[array.Name] = array.Length;
            }
        }

        /// <summary>Statements run once for the whole workgroup: barrier-free runs become per-invocation regions.</summary>
        private void Lockstep(IrBlock block)
        {
            var region = new List<IrStmt>();
            foreach (var statement in block.Statements)
            {
                if (!ContainsBarrier(statement))
                {
                    region.Add(statement);
                    continue;
                }
                Region(region);
                region.Clear();
                switch (statement)
                {
                    case IrCallStatement:
                        break; // the barrier itself: the regions before and after it are already apart
                    case IrIf conditional:
                        writer.OpenBlock("if (" + Uniform(conditional.Condition) + ")");
                        Lockstep(conditional.Then);
                        writer.Close();
                        if (conditional.Else is not null)
                        {
                            writer.OpenBlock("else");
                            Lockstep(conditional.Else);
                            writer.Close();
                        }
                        break;
                    case IrLoop loop:
                        writer.OpenBlock("");
                        Region(loop.Initializers.Statements);
                        writer.OpenBlock("while (true)");
                        if (!loop.ConditionAtEnd && loop.Condition is not null) writer.Line("if (!" + Uniform(loop.Condition) + ") break;");
                        Lockstep(loop.Body);
                        Region(loop.Updates.Statements);
                        if (loop.ConditionAtEnd && loop.Condition is not null) writer.Line("if (!" + Uniform(loop.Condition) + ") break;");
                        writer.Close();
                        writer.Close();
                        break;
                    case IrNestedBlock nested:
                        writer.OpenBlock("");
                        Lockstep(nested.Block);
                        writer.Close();
                        break;
                    default:
                        failed = true; // a barrier inside a switch
                        break;
                }
            }
            Region(region);
        }

        /// <summary>Runs statements for every invocation that has not returned.</summary>
        private void Region(IReadOnlyList<IrStmt> statements)
        {
            if (statements.Count == 0) return;
            // A break or continue that would leave the region (for a loop around it) cannot be expressed per invocation.
            if (statements.Any(HasLooseJump)) failed = true;
            string next = "__next" + labels++;
            writer.OpenBlock("for (int __lid = 0; __lid < __size; __lid++)");
            writer.Line("if (__exited[__lid]) continue;");
            foreach (var statement in statements) Statement(statement, next);
            writer.Line(next + ": ;");
            writer.Close();
        }

        private void Statement(IrStmt statement, string next)
        {
            switch (statement)
            {
                case IrDeclare declare:
                    writer.Line(CSharpExpressions.LocalSpan(declare.Name, declare.Type) + "[__lid] = " +
                                (declare.Initializer is null ? "default" : E(declare.Initializer)) + ";");
                    break;
                case IrDeclareArray array:
                    writer.Line(array.Name + ".Slice(__lid * " + array.Length + ", " + array.Length + ").Clear();");
                    break;
                case IrAssign assign:
                {
                    string op = assign.CompoundOp is { } compound ? WgslExpressions.BinarySymbol(compound) : "";
                    string value = E(assign.Value);
                    if (assign.CompoundOp is BinaryOp.ShiftLeft or BinaryOp.ShiftRight) value = "(int)(" + value + ")";
                    writer.Line(E(assign.Target) + " " + op + "= " + value + ";");
                    break;
                }
                case IrIncrement increment:
                    writer.Line(E(increment.Target) + (increment.Increment ? "++;" : "--;"));
                    break;
                case IrIf conditional:
                    writer.OpenBlock("if (" + E(conditional.Condition) + ")");
                    foreach (var s in conditional.Then.Statements) Statement(s, next);
                    writer.Close();
                    if (conditional.Else is not null)
                    {
                        writer.OpenBlock("else");
                        foreach (var s in conditional.Else.Statements) Statement(s, next);
                        writer.Close();
                    }
                    break;
                case IrReturn:
                    writer.Line("{ __exited[__lid] = true; goto " + next + "; }");
                    break;
                case IrBreak:
                    writer.Line("break;");
                    break;
                case IrContinue:
                    writer.Line("continue;");
                    break;
                case IrCallStatement call:
                    writer.Line((call.Call.Type.Scalar == ScalarKind.Void ? "" : "_ = ") + E(call.Call) + ";");
                    break;
                case IrNestedBlock nested:
                    writer.OpenBlock("");
                    foreach (var s in nested.Block.Statements) Statement(s, next);
                    writer.Close();
                    break;
                case IrLoop loop:
                    Loop(loop, next);
                    break;
                case IrSwitch @switch:
                    writer.OpenBlock("switch (" + E(@switch.Selector) + ")");
                    foreach (var c in @switch.Cases)
                    {
                        foreach (var value in c.Values) writer.Line("case " + E(value) + ":");
                        if (c.IsDefault) writer.Line("default:");
                        writer.OpenBlock("");
                        foreach (var s in c.Body.Statements) Statement(s, next);
                        writer.Close();
                        writer.Line("break;");
                    }
                    writer.Close();
                    break;
                default:
                    failed = true;
                    break;
            }
        }

        private void Loop(IrLoop loop, string next)
        {
            writer.OpenBlock("");
            foreach (var s in loop.Initializers.Statements) Statement(s, next);
            if (loop.ConditionAtEnd)
            {
                writer.OpenBlock("do");
                foreach (var s in loop.Body.Statements) Statement(s, next);
                writer.Close(" while (" + (loop.Condition is null ? "true" : E(loop.Condition)) + ");");
            }
            else
            {
                // Updates are assignments and increments: C# for-iterators, so "continue" still runs them.
                var updates = loop.Updates.Statements.Select(Update).ToList();
                writer.OpenBlock("for (; " + (loop.Condition is null ? "" : E(loop.Condition)) + "; " + string.Join(", ", updates) + ")");
                foreach (var s in loop.Body.Statements) Statement(s, next);
                writer.Close();
            }
            writer.Close();
        }

        private string Update(IrStmt statement)
        {
            switch (statement)
            {
                case IrIncrement increment:
                    return E(increment.Target) + (increment.Increment ? "++" : "--");
                case IrAssign assign:
                {
                    string value = E(assign.Value);
                    if (assign.CompoundOp is BinaryOp.ShiftLeft or BinaryOp.ShiftRight) value = "(int)(" + value + ")";
                    return E(assign.Target) + " " + (assign.CompoundOp is { } op ? WgslExpressions.BinarySymbol(op) : "") + "= " + value;
                }
                default:
                    failed = true;
                    return "";
            }
        }

        private string E(IrExpr expression) => Spell(expression, "__lid");

        /// <summary>A uniform value: every invocation computes the same, so invocation 0's is read.</summary>
        private string Uniform(IrExpr expression) => "(" + Spell(expression, "0") + ")";

        private string Spell(IrExpr expression, string lid)
        {
            var text = expressions.Emit(expression, lid);
            if (text is null) { failed = true; return "default"; }
            return text;
        }

        private static int Bytes(IrType type) => 4 * type.Lanes;

        private static bool ContainsBarrier(IrBlock block) => block.Statements.Any(ContainsBarrier);

        private static bool ContainsBarrier(IrStmt statement) => statement switch
        {
            IrCallStatement call => call.Call.Function is "workgroupBarrier" or "storageBarrier",
            IrIf conditional => ContainsBarrier(conditional.Then) || (conditional.Else is not null && ContainsBarrier(conditional.Else)),
            IrLoop loop => ContainsBarrier(loop.Initializers) || ContainsBarrier(loop.Body) || ContainsBarrier(loop.Updates),
            IrSwitch @switch => @switch.Cases.Any(c => ContainsBarrier(c.Body)),
            IrNestedBlock nested => ContainsBarrier(nested.Block),
            _ => false,
        };

        /// <summary>A break or continue not enclosed by a loop (or, for break, a switch) of the same statement.</summary>
        private static bool HasLooseJump(IrStmt statement) => HasLooseJump(statement, breakBound: false);

        private static bool HasLooseJump(IrStmt statement, bool breakBound) => statement switch
        {
            IrBreak => !breakBound,
            IrContinue => true,
            IrIf conditional => conditional.Then.Statements.Any(s => HasLooseJump(s, breakBound)) ||
                                (conditional.Else?.Statements.Any(s => HasLooseJump(s, breakBound)) ?? false),
            IrNestedBlock nested => nested.Block.Statements.Any(s => HasLooseJump(s, breakBound)),
            IrSwitch @switch => @switch.Cases.Any(c => c.Body.Statements.Any(s => HasLooseJump(s, breakBound: true))),
            _ => false,
        };
    }
}
