using System.Collections.Generic;
using System.Linq;
using KernelGen.Ir;
using KernelGen.Model;

namespace KernelGen.Emit
{
    /// <summary>
    /// Writes a C# method that runs one whole workgroup of a kernel on the CPU in a single call, without a thread or a
    /// delegate call per invocation: the classic "work-item loop" transformation of CPU OpenCL implementations. The
    /// body is cut at its barriers into regions (a barrier-free kernel is one region); each region is a loop over the
    /// workgroup's invocations with their ids as loop counters. Statements that contain barriers (uniform by KG0015)
    /// run once for the workgroup, their conditions read from invocation 0.
    ///
    /// Kernel locals are plain C# locals inside the loops. Only a local used in more than one region (it lives across
    /// a barrier) or in a uniform condition also has a span with one slot per invocation: a region loads it into its
    /// C# local when the invocation starts the region and stores it back when the invocation leaves it.
    ///
    /// In phased code each invocation writes its global id into the thread's <c>Kernel</c> ids (<c>__gid</c>) before it
    /// runs, so an out-of-bounds buffer index still names the invocation. Barrier-free code does not: it indexes buffers
    /// through spans taken once per workgroup, and the runtime names a failing invocation by running its workgroup
    /// again through the kernel's own method. Barrier-free code may also run four invocations together ("lanes", see
    /// <see cref="LanePlan"/> and CpuPhasedEmitter.Lanes.cs).
    ///
    /// Returns null when the kernel uses something this transformation does not handle (barriers in helpers or
    /// switches, break/continue crossing a barrier region, an expression it cannot spell in C#); the CPU backend then
    /// runs the kernel's own C# method per invocation, which handles everything.
    /// </summary>
    internal sealed partial class CpuPhasedEmitter
    {
        public const string MethodName = "CpuWorkgroup";
        private const int StackLimitBytes = 256 * 1024;

        private readonly KernelModel kernel;
        private readonly CSharpExpressions expressions;
        private readonly CodeWriter writer = new CodeWriter();
        private WorkItem item;
        private readonly List<RegionUse> regions = new List<RegionUse>();
        private readonly HashSet<(string Name, IrType Type)> spanLocals = new HashSet<(string, IrType)>();
        private int regionIndex;
        private int labels;
        private bool failed;

        /// <summary>What one region reads, writes and declares (locals by WGSL name and type; local arrays by name).</summary>
        private sealed class RegionUse
        {
            public readonly HashSet<(string Name, IrType Type)> Used = new HashSet<(string, IrType)>();
            public readonly HashSet<(string Name, IrType Type)> Written = new HashSet<(string, IrType)>();
            public readonly HashSet<string> Arrays = new HashSet<string>();
        }

        private CpuPhasedEmitter(KernelModel kernel)
        {
            this.kernel = kernel;
            expressions = new CSharpExpressions(kernel) { IndexThroughSpans = !kernel.UsesBarriers };
            item = WorkItem.Loop(kernel.WorkgroupY, kernel.WorkgroupZ);
        }

        /// <summary>The method's lines (unindented), or null when the kernel cannot be run this way.</summary>
        public static IReadOnlyList<string>? TryEmit(KernelModel kernel)
        {
            if (kernel.Functions.Any(f => ContainsBarrier(f.Body))) return null;
            // The generated names (__wg, __ox, __gid, __lid, locals spelled name__u32) all contain "__": a parameter
            // whose name does too could clash with one, and such a kernel keeps the per-invocation path.
            if (kernel.Parameters.Any(p => p.CSharpName.Contains("__"))) return null;
            var emitter = new CpuPhasedEmitter(kernel);
            emitter.Emit();
            return emitter.failed ? null : emitter.writer.ToString().TrimEnd('\n').Split('\n');
        }

        private int Size => kernel.WorkgroupX * kernel.WorkgroupY * kernel.WorkgroupZ;

        private bool Phased => kernel.UsesBarriers;

        private void Emit()
        {
            var locals = new HashSet<(string Name, IrType Type)>();
            CollectLocals(kernel.Body, locals);
            foreach (var array in kernel.WorkgroupArrays) expressions.WorkgroupArrays.Add(array.Name);
            var uniformLocals = new HashSet<(string, IrType)>();
            var uniformArrays = new HashSet<string>();
            Plan(kernel.Body, uniformLocals, uniformArrays);
            PlanLanes(locals);
            foreach (var local in locals)
                if (uniformLocals.Contains(local) || regions.Count(r => r.Used.Contains(local)) > 1) spanLocals.Add(local);
            foreach (var array in localArrays)
                if (!uniformArrays.Contains(array.Name) && regions.Count(r => r.Arrays.Contains(array.Name)) <= 1)
                    expressions.SingleSlotArrays.Add(array.Name);

            long bytes = spanLocals.Sum(l => (long)Size * l.Type.Size) +
                         localArrays.Sum(a => (expressions.SingleSlotArrays.Contains(a.Name) ? 1L : Size) * a.Length * a.Element.Size) +
                         kernel.WorkgroupArrays.Sum(a => (long)a.Length * a.ElementType.Size);
            if (failed || bytes > StackLimitBytes) { failed = true; return; }

            var parameters = new List<string> { "global::KernelGen.Cpu.WorkgroupIds __wg" };
            parameters.AddRange(kernel.Parameters.Select(p => p.Kind switch
            {
                ParameterKind.ReadOnlyBuffer => "global::KernelGen.ReadOnlyBuffer<" + p.Type.CSharp + "> ",
                ParameterKind.ReadWriteBuffer => "global::KernelGen.ReadWriteBuffer<" + p.Type.CSharp + "> ",
                _ => p.Type.CSharp + " ",
            } + CSharpExpressions.CSharpName(p.CSharpName)));

            writer.Line("/// <summary>Runs one workgroup of the kernel on the CPU: loops over its invocations" +
                        (Phased ? ", in phases between its barriers" : "") + " (generated from the same IR as the WGSL).</summary>");
            writer.Line("#pragma warning disable CS0162, CS0164, CS0219 // unreachable code, unused labels and an unused __size are normal in generated loops");
            // Nullable flow analysis of these loops costs the compiler more than the rest of the file, and they hold
            // only value types: leave it off here (the public stub keeps its annotations).
            writer.Line("#nullable disable");
            writer.OpenBlock("private static void " + MethodName + kernel.VariantSuffix + "(" + string.Join(", ", parameters) + ")");
            writer.Line("const int __size = " + Size + ";");
            // The workgroup's origin: each invocation's global id is this plus its loop counters.
            writer.Line("uint __ox = __wg.WorkgroupId.X * " + kernel.WorkgroupX + "u, __oy = __wg.WorkgroupId.Y * " + kernel.WorkgroupY +
                        "u, __oz = __wg.WorkgroupId.Z * " + kernel.WorkgroupZ + "u;");
            foreach (var buffer in kernel.Parameters.Where(p => expressions.IndexThroughSpans && p.IsBuffer))
            {
                string name = CSharpExpressions.CSharpName(buffer.CSharpName);
                string span = buffer.Kind == ParameterKind.ReadOnlyBuffer ? "global::System.ReadOnlySpan<" : "global::System.Span<";
                writer.Line(span + buffer.Type.CSharp + "> " + CSharpExpressions.SpanName(name) + " = " + name + ".AsSpan();");
            }
            if (Phased)
            {
                writer.Line("ref global::KernelGen.UInt3 __gid = ref global::KernelGen.Cpu.WorkgroupIds.CurrentGlobalId;");
                writer.Line("global::System.Span<bool> __exited = stackalloc bool[__size];");
            }
            foreach (var (name, type) in spanLocals.OrderBy(l => CSharpExpressions.LocalSpan(l.Name, l.Type), System.StringComparer.Ordinal))
                writer.Line("global::System.Span<" + type.CSharp + "> " + CSharpExpressions.LocalSpan(name, type) + " = stackalloc " + type.CSharp + "[__size];");
            foreach (var array in localArrays)
                writer.Line("global::System.Span<" + array.Element.CSharp + "> " + array.Name + " = stackalloc " + array.Element.CSharp + "[" +
                            (expressions.SingleSlotArrays.Contains(array.Name) ? "" : "__size * ") + array.Length + "];");
            foreach (var array in kernel.WorkgroupArrays)
                writer.Line("global::System.Span<" + array.ElementType.CSharp + "> " + array.Name + " = stackalloc " + array.ElementType.CSharp + "[" + array.Length + "];");
            if (lanes is not null) LaneGroups();
            else Lockstep(kernel.Body);
            writer.Close();
            writer.Line("#pragma warning restore CS0162, CS0164, CS0219");
            writer.Line("#nullable restore");
        }

        private readonly List<(string Name, IrType Element, int Length)> localArrays = new List<(string, IrType, int)>();

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

        /// <summary>
        /// Walks the body as <see cref="Lockstep"/> will write it, recording what each region uses (in the order
        /// the regions are written) and which locals uniform conditions read.
        /// </summary>
        private void Plan(IrBlock block, HashSet<(string, IrType)> uniformLocals, HashSet<string> uniformArrays)
        {
            void Uniform(IrExpr? condition)
            {
                if (condition is null) return;
                foreach (var e in IrWalker.Walk(condition))
                {
                    if (e is IrLocal local) uniformLocals.Add((local.Name, local.Type));
                    if (e is IrArrayElement element) uniformArrays.Add(element.Array);
                }
            }
            foreach (var (region, statement) in Segments(block))
            {
                PlanRegion(region);
                switch (statement)
                {
                    case IrIf conditional:
                        Uniform(conditional.Condition);
                        Plan(conditional.Then, uniformLocals, uniformArrays);
                        if (conditional.Else is not null) Plan(conditional.Else, uniformLocals, uniformArrays);
                        break;
                    case IrLoop loop:
                        PlanRegion(loop.Initializers.Statements);
                        Uniform(loop.Condition);
                        Plan(loop.Body, uniformLocals, uniformArrays);
                        PlanRegion(loop.Updates.Statements);
                        break;
                    case IrNestedBlock nested:
                        Plan(nested.Block, uniformLocals, uniformArrays);
                        break;
                }
            }
        }

        private void PlanRegion(IReadOnlyList<IrStmt> statements)
        {
            if (statements.Count == 0) return;
            var use = new RegionUse();
            var block = new IrBlock(statements.ToEquatableArray());
            foreach (var statement in IrWalker.Statements(block))
            {
                switch (statement)
                {
                    case IrDeclare declare:
                        use.Used.Add((declare.Name, declare.Type));
                        use.Written.Add((declare.Name, declare.Type));
                        break;
                    case IrDeclareArray array:
                        use.Arrays.Add(array.Name);
                        break;
                }
            }
            use.Written.UnionWith(IrWalker.WrittenLocals(block));
            foreach (var e in IrWalker.Expressions(block))
            {
                if (e is IrLocal local) use.Used.Add((local.Name, local.Type));
                if (e is IrArrayElement element) use.Arrays.Add(element.Array);
            }
            regions.Add(use);
        }

        /// <summary>Statements run once for the whole workgroup: barrier-free runs become per-invocation regions.</summary>
        private void Lockstep(IrBlock block)
        {
            foreach (var (region, statement) in Segments(block))
            {
                Region(region);
                switch (statement)
                {
                    case null:
                        break; // the block's last region
                    case IrCallStatement:
                        break; // the barrier itself: the regions before and after it are already apart
                    case IrIf conditional:
                        AsFirstInvocation();
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
                        writer.Open("");
                        Region(loop.Initializers.Statements);
                        writer.OpenBlock("while (true)");
                        if (!loop.ConditionAtEnd && loop.Condition is not null)
                        {
                            AsFirstInvocation();
                            writer.Line("if (!" + Uniform(loop.Condition) + ") break;");
                        }
                        Lockstep(loop.Body);
                        Region(loop.Updates.Statements);
                        if (loop.ConditionAtEnd && loop.Condition is not null)
                        {
                            AsFirstInvocation();
                            writer.Line("if (!" + Uniform(loop.Condition) + ") break;");
                        }
                        writer.Close();
                        writer.Close();
                        break;
                    case IrNestedBlock nested:
                        writer.Open("");
                        Lockstep(nested.Block);
                        writer.Close();
                        break;
                    default:
                        failed = true; // a barrier inside a switch
                        break;
                }
            }
        }

        /// <summary>
        /// A block as <see cref="Plan"/> and <see cref="Lockstep"/> both walk it: each statement that contains a
        /// barrier, preceded by the run of barrier-free statements before it (one per-invocation region, possibly
        /// empty); the last run comes with a null statement.
        /// </summary>
        private static IEnumerable<(List<IrStmt> Region, IrStmt? WithBarrier)> Segments(IrBlock block)
        {
            var region = new List<IrStmt>();
            foreach (var statement in block.Statements)
            {
                if (!ContainsBarrier(statement))
                {
                    region.Add(statement);
                    continue;
                }
                yield return (region, statement);
                region = new List<IrStmt>();
            }
            yield return (region, null);
        }

        /// <summary>
        /// Runs statements for every invocation (that has not returned): one loop over the workgroup, the ids from
        /// its counters, locals that cross barriers loaded from their spans at the start and stored at the end.
        /// </summary>
        private void Region(IReadOnlyList<IrStmt> statements)
        {
            if (statements.Count == 0) return;
            // A break or continue that would leave the region (for a loop around it) cannot be expressed per invocation.
            if (statements.Any(HasLooseJump)) failed = true;
            var use = regions[regionIndex++];
            string next = "__next" + labels++;
            bool outerBlock = OpenWorkItemLoop(step: 1);
            if (Phased)
            {
                writer.Line("if (__exited[__lid]) continue;");
                writer.Line("__gid = new global::KernelGen.UInt3(__ox + " + item.X + ", __oy + " + item.Y + ", __oz + " + item.Z + ");");
            }
            var carried = spanLocals.Where(use.Used.Contains).OrderBy(l => CSharpExpressions.LocalName(l.Name, l.Type), System.StringComparer.Ordinal).ToList();
            foreach (var (name, type) in carried)
                writer.Line(type.CSharp + " " + CSharpExpressions.LocalName(name, type) + " = " + CSharpExpressions.LocalSpan(name, type) + "[__lid];");
            foreach (var statement in statements) Statement(statement, next);
            writer.Line(next + ": ;");
            foreach (var (name, type) in carried.Where(use.Written.Contains))
                writer.Line(CSharpExpressions.LocalSpan(name, type) + "[__lid] = " + CSharpExpressions.LocalName(name, type) + ";");
            writer.Close();
            if (outerBlock) writer.Close();
        }

        /// <summary>
        /// Opens the loop over the workgroup's invocations, <paramref name="step"/> at a time along x: a 1D workgroup
        /// counts <c>__lid</c> only; otherwise nested loops count <c>__lx</c> and, for axes longer than 1, <c>__ly</c>
        /// and <c>__lz</c>, with <c>__lid</c> alongside in a block of its own. Returns whether that block was opened
        /// (the caller closes it after the loop).
        /// </summary>
        private bool OpenWorkItemLoop(int step)
        {
            string by = step == 1 ? "++" : " += " + step;
            if (kernel.WorkgroupY == 1 && kernel.WorkgroupZ == 1)
            {
                writer.OpenBlock("for (int __lid = 0; __lid < __size; __lid" + by + ")");
                return false;
            }
            writer.Open("");
            writer.Line("int __lid = 0;");
            if (kernel.WorkgroupZ > 1) writer.Line("for (uint __lz = 0u; __lz < " + kernel.WorkgroupZ + "u; __lz++)");
            if (kernel.WorkgroupY > 1) writer.Line("for (uint __ly = 0u; __ly < " + kernel.WorkgroupY + "u; __ly++)");
            writer.OpenBlock("for (uint __lx = 0u; __lx < " + kernel.WorkgroupX + "u; __lx" + (step == 1 ? "++" : " += " + step + "u") + ", __lid" + by + ")");
            return true;
        }

        private void Statement(IrStmt statement, string next)
        {
            switch (statement)
            {
                case IrDeclare declare:
                    bool declaredAbove = spanLocals.Contains((declare.Name, declare.Type)) || laneLocals.Contains((declare.Name, declare.Type));
                    writer.Line((declaredAbove ? "" : declare.Type.CSharp + " ") + expressions.Local(declare.Name, declare.Type, item) + " = " +
                                (declare.Initializer is null ? "default" : E(declare.Initializer)) + ";");
                    break;
                case IrDeclareArray array:
                    writer.Line(expressions.SingleSlotArrays.Contains(array.Name)
                        ? array.Name + ".Clear();"
                        : array.Name + ".Slice(__lid * " + array.Length + ", " + array.Length + ").Clear();");
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
                    writer.Line(Phased ? "{ __exited[__lid] = true; goto " + next + "; }" :
                                laneFlag is not null ? "{ " + laneFlag + " = false; goto " + next + "; }" : "goto " + next + ";");
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
                    writer.Open("");
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
                        writer.Open("");
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
            writer.Open("");
            foreach (var s in loop.Initializers.Statements) Statement(s, next);
            if (loop.ConditionAtEnd)
            {
                writer.OpenBlock("do");
                foreach (var s in loop.Body.Statements) Statement(s, next);
                writer.Close(" while (" + (loop.Condition is null ? "true" : E(loop.Condition)) + ");");
            }
            else
            {
                writer.OpenBlock(ForHeader(loop));
                foreach (var s in loop.Body.Statements) Statement(s, next);
                writer.Close();
            }
            writer.Close();
        }

        /// <summary>
        /// <c>for (; condition; updates)</c> of a loop whose initializers are written before it. Updates are assignments
        /// and increments: C# for-iterators, so "continue" still runs them.
        /// </summary>
        private string ForHeader(IrLoop loop) =>
            "for (; " + (loop.Condition is null ? "" : E(loop.Condition)) + "; " + string.Join(", ", loop.Updates.Statements.Select(Update)) + ")";

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

        private string E(IrExpr expression) => Spell(expression, item);

        /// <summary>A uniform value: every invocation computes the same, so invocation 0's is read.</summary>
        private string Uniform(IrExpr expression) => "(" + Spell(expression, WorkItem.First) + ")";

        /// <summary>Before a uniform condition: a failure while evaluating it names invocation 0, whose values it reads.</summary>
        private void AsFirstInvocation() => writer.Line("__gid = new global::KernelGen.UInt3(__ox, __oy, __oz);");

        private string Spell(IrExpr expression, WorkItem lid)
        {
            var text = expressions.Emit(expression, lid);
            if (text is null) { failed = true; return "default"; }
            return text;
        }

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
