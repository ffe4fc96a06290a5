using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using KernelGen.Ir;
using KernelGen.Model;

namespace KernelGen.Emit
{
    /// <summary>
    /// Decides whether a barrier-free kernel can run four neighbouring invocations (along x) together on the CPU,
    /// and which of its statements they can share. A loop whose bounds are the same for the four ("lane-uniform")
    /// then runs once, with the four invocations' bodies inside it one after another: their locals are separate C#
    /// locals, so the four add chains of a reduction interleave instead of each running to completion. That is what
    /// a CPU needs from code like the naive matmul's <c>for (k...) sum += a[..] * b[..]</c>, whose speed is one add
    /// chain's latency.
    ///
    /// The four invocations differ only in their x ids (local and global x, local index). A value is lane-uniform when
    /// it is computed from parameters, literals, buffer lengths, workgroup ids, the y and z ids and locals that are
    /// themselves shared, by operations that cannot throw (no integer division). A loop runs shared when its counters
    /// are declared in its initializer from lane-uniform values, only its updates write them, its condition is
    /// lane-uniform and its body has no return and no break or continue of its own (no invocation can leave it early);
    /// its counters are shared inside it. A top-level declaration of a lane-uniform value that nothing writes
    /// afterwards is shared too.
    /// </summary>
    internal sealed class LanePlan
    {
        public const int Lanes = 4;

        /// <summary>
        /// Locals of top-level shared declarations, held once for the four lanes (by WGSL name and type). A shared
        /// loop's counters are shared only inside that loop (<see cref="Counters"/>): C# scopes them to it, so a loop
        /// elsewhere that reuses the name with a bound that differs per lane keeps its own per-lane counter.
        /// </summary>
        public HashSet<(string Name, IrType Type)> Shared { get; } = new HashSet<(string, IrType)>();

        /// <summary>Loops the four lanes run together (by identity: two equal loops may sit in different places).</summary>
        public HashSet<IrLoop> UniformLoops { get; } = new HashSet<IrLoop>(ReferenceComparer<IrLoop>.Instance);

        /// <summary>Top-level declarations computed once for the four lanes.</summary>
        public HashSet<IrDeclare> SharedDeclarations { get; } = new HashSet<IrDeclare>(ReferenceComparer<IrDeclare>.Instance);

        /// <summary>Locals written anywhere after their declaration: never a shared declaration.</summary>
        private readonly HashSet<(string, IrType)> varying;

        /// <summary>The counters of the shared loops being classified: lane-uniform inside them.</summary>
        private readonly HashSet<(string, IrType)> countersInScope = new HashSet<(string, IrType)>();

        private LanePlan(HashSet<(string, IrType)> varying) => this.varying = varying;

        /// <summary>A shared loop's counters: the declarations of its initializer.</summary>
        public static IEnumerable<IrDeclare> Counters(IrLoop loop) => loop.Initializers.Statements.OfType<IrDeclare>();

        /// <summary>The plan, or null when running lanes together would not help (no shared loop) or is not possible.</summary>
        public static LanePlan? TryCreate(KernelModel kernel)
        {
            if (kernel.UsesBarriers || kernel.WorkgroupX % Lanes != 0) return null;
            var statements = IrWalker.Statements(kernel.Body).ToList();
            // Local arrays would need a slot per lane; kernels with them keep one invocation at a time.
            if (statements.Any(s => s is IrDeclareArray)) return null;
            // A top-level local is never a loop's counter (C# would not allow the name twice), so any write makes it varying.
            var plan = new LanePlan(new HashSet<(string, IrType)>(IrWalker.WrittenLocals(kernel.Body)));
            // C# allows a name once per scope chain, so a top-level local is declared once; checked all the same.
            var once = new HashSet<(string, IrType)>(
                statements.OfType<IrDeclare>().GroupBy(d => (d.Name, d.Type)).Where(g => g.Count() == 1).Select(g => g.Key));
            foreach (var statement in kernel.Body.Statements)
            {
                if (statement is IrDeclare { Initializer: { } initializer } declare && once.Contains((declare.Name, declare.Type)) &&
                    !plan.varying.Contains((declare.Name, declare.Type)) && plan.IsLaneUniform(initializer))
                {
                    plan.Shared.Add((declare.Name, declare.Type));
                    plan.SharedDeclarations.Add(declare);
                }
                else if (statement is IrLoop loop)
                {
                    plan.TryShareLoop(loop);
                }
            }
            return plan.UniformLoops.Count == 0 ? null : plan;
        }

        private void TryShareLoop(IrLoop loop)
        {
            if (loop.ConditionAtEnd || loop.Initializers.Statements.Count == 0) return;
            if (loop.Initializers.Statements.Any(i => i is not IrDeclare { Initializer: { } value } || !IsLaneUniform(value))) return;
            var counters = Counters(loop).Select(d => (d.Name, d.Type)).ToList();
            countersInScope.UnionWith(counters);
            bool updatesUniform = loop.Updates.Statements.All(u => u switch
            {
                IrIncrement { Target: IrLocal target } => counters.Contains((target.Name, target.Type)),
                IrAssign { Target: IrLocal target } assign => counters.Contains((target.Name, target.Type)) && IsLaneUniform(assign.Value),
                _ => false,
            });
            bool bodyStays = !IrWalker.Statements(loop.Body).Any(s => s is IrReturn) && !loop.Body.Statements.Any(HasOwnJump) &&
                             !IrWalker.WrittenLocals(loop.Body).Any(counters.Contains);
            if (updatesUniform && bodyStays && (loop.Condition is null || IsLaneUniform(loop.Condition)))
            {
                UniformLoops.Add(loop);
                foreach (var nested in loop.Body.Statements.OfType<IrLoop>()) TryShareLoop(nested);
            }
            countersInScope.ExceptWith(counters);
        }

        /// <summary>A break or continue that belongs to the loop whose body this statement is in.</summary>
        private static bool HasOwnJump(IrStmt statement) => statement switch
        {
            IrBreak or IrContinue => true,
            IrIf conditional => conditional.Then.Statements.Any(HasOwnJump) || (conditional.Else?.Statements.Any(HasOwnJump) ?? false),
            IrNestedBlock nested => nested.Block.Statements.Any(HasOwnJump),
            // A break in a switch leaves the switch, a continue there may continue the loop (counted, to be safe, even
            // when a loop inside the case owns it).
            IrSwitch @switch => @switch.Cases.Any(c => IrWalker.Statements(c.Body).Any(s => s is IrContinue)),
            _ => false,
        };

        /// <summary>The same value for the four lanes, computed without side effects and without throwing.</summary>
        private bool IsLaneUniform(IrExpr expression) => expression switch
        {
            IrLiteral or IrUniform or IrBufferLength => true,
            IrBuiltin { Kind: BuiltinKind.WorkgroupId or BuiltinKind.NumWorkgroups } => true,
            IrComponent { Vector: IrBuiltin { Kind: BuiltinKind.GlobalId or BuiltinKind.LocalId }, Lane: 'y' or 'z' } => true,
            IrComponent { Vector: IrBuiltin { Kind: BuiltinKind.GlobalId or BuiltinKind.LocalId } } => false,
            IrLocal local => Shared.Contains((local.Name, local.Type)) || countersInScope.Contains((local.Name, local.Type)),
            IrComponent component => IsLaneUniform(component.Vector),
            IrMember member => IsLaneUniform(member.Target),
            IrUnary unary => IsLaneUniform(unary.Operand),
            IrBinary { Op: BinaryOp.Divide or BinaryOp.Remainder, Type.IsInteger: true } => false,
            IrBinary binary => IsLaneUniform(binary.Left) && IsLaneUniform(binary.Right),
            IrConvert convert => IsLaneUniform(convert.Operand),
            IrSelect select => IsLaneUniform(select.Condition) && IsLaneUniform(select.WhenTrue) && IsLaneUniform(select.WhenFalse),
            _ => false,
        };

        private sealed class ReferenceComparer<T> : IEqualityComparer<T> where T : class
        {
            public static readonly ReferenceComparer<T> Instance = new ReferenceComparer<T>();

            public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

            public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
        }
    }
}
