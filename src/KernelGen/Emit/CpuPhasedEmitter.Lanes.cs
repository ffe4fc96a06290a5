using System.Collections.Generic;
using System.Linq;
using KernelGen.Ir;

namespace KernelGen.Emit
{
    /// <summary>
    /// The work-item loop in groups of four neighbouring invocations ("lanes", see <see cref="LanePlan"/>): each lane's
    /// locals are C# locals of their own (<c>sum__f32__l0</c> ... <c>__l3</c>), declared once per group; statements run
    /// lane after lane, each lane behind its flag (<c>__on0</c> ...) that a <c>return</c> clears; a lane-uniform loop
    /// runs once with the four lanes' bodies inside, when all four lanes are still running, and lane after lane
    /// otherwise (a ragged edge of the grid).
    /// </summary>
    internal sealed partial class CpuPhasedEmitter
    {
        private LanePlan? lanes;

        /// <summary>Per-lane locals, declared at the top of each group, so their declarations in the body assign.</summary>
        private readonly HashSet<(string Name, IrType Type)> laneLocals = new HashSet<(string, IrType)>();

        /// <summary>The running lane's flag while top-level statements run lane after lane: a return clears it.</summary>
        private string? laneFlag;

        private void PlanLanes(HashSet<(string Name, IrType Type)> locals)
        {
            lanes = LanePlan.TryCreate(kernel);
            if (lanes is null) return;
            expressions.LaneShared.UnionWith(lanes.Shared);
            laneLocals.UnionWith(locals.Where(l => !lanes.Shared.Contains(l)));
        }

        private void LaneGroups()
        {
            bool outerBlock = OpenWorkItemLoop(step: LanePlan.Lanes);
            writer.Line("bool " + string.Join(", ", LaneIndices.Select(i => "__on" + i + " = true")) + ";");
            foreach (var (name, type) in laneLocals.OrderBy(l => CSharpExpressions.LocalName(l.Name, l.Type), System.StringComparer.Ordinal))
                writer.Line(type.CSharp + " " + string.Join(", ", LaneIndices.Select(i => expressions.Local(name, type, Lane(i)) + " = default")) + ";");
            TopLevelLanes(kernel.Body.Statements);
            writer.Close();
            if (outerBlock) writer.Close();
        }

        private static IEnumerable<int> LaneIndices => Enumerable.Range(0, LanePlan.Lanes);

        private WorkItem Lane(int index) => WorkItem.Lane(index, kernel.WorkgroupY, kernel.WorkgroupZ);

        /// <summary>The kernel's body: shared declarations once, shared loops once when all lanes run, the rest per lane.</summary>
        private void TopLevelLanes(IEnumerable<IrStmt> statements)
        {
            var run = new List<IrStmt>();
            foreach (var statement in statements)
            {
                if (statement is IrDeclare declare && lanes!.SharedDeclarations.Contains(declare))
                {
                    EachLane(run, flagged: true);
                    item = Lane(0);
                    Statement(declare, "");
                }
                else if (statement is IrLoop loop && lanes!.UniformLoops.Contains(loop))
                {
                    EachLane(run, flagged: true);
                    writer.OpenBlock("if (" + string.Join(" & ", LaneIndices.Select(i => "__on" + i)) + ")");
                    SharedLoop(loop);
                    writer.Close();
                    writer.OpenBlock("else");
                    run.Add(loop);
                    EachLane(run, flagged: true);
                    writer.Close();
                }
                else
                {
                    run.Add(statement);
                }
            }
            EachLane(run, flagged: true);
        }

        /// <summary>
        /// Statements lane after lane, then clears <paramref name="run"/>. Flagged: each lane runs only while its flag is
        /// set, and a return clears the flag and skips the rest of the lane's statements. Unflagged (inside a shared
        /// loop, where all lanes run and none can return): each lane in a plain block.
        /// </summary>
        private void EachLane(List<IrStmt> run, bool flagged)
        {
            if (run.Count == 0) return;
            foreach (int i in LaneIndices)
            {
                item = Lane(i);
                laneFlag = flagged ? "__on" + i : null;
                string next = "__next" + labels++;
                if (flagged) writer.OpenBlock("if (__on" + i + ")");
                else writer.Open("");
                foreach (var statement in run) Statement(statement, next);
                writer.Close();
                if (flagged) writer.Line(next + ": ;");
            }
            laneFlag = null;
            run.Clear();
        }

        /// <summary>A lane-uniform loop run once for all four lanes: its counters are shared, its body per lane inside.</summary>
        private void SharedLoop(IrLoop loop)
        {
            item = Lane(0); // the counters, condition and updates are the same for every lane
            writer.Open("");
            // Declared here whatever else is declared per lane under the same name: inside this loop the name means
            // the shared counter (a loop elsewhere may reuse it per lane, with the lanes' own counters).
            var counters = LanePlan.Counters(loop).ToList();
            foreach (var counter in counters)
            {
                writer.Line(counter.Type.CSharp + " " + CSharpExpressions.LocalName(counter.Name, counter.Type) + " = " + E(counter.Initializer!) + ";");
                expressions.LaneShared.Add((counter.Name, counter.Type));
            }
            writer.OpenBlock(ForHeader(loop));
            var run = new List<IrStmt>();
            foreach (var statement in loop.Body.Statements)
            {
                if (statement is IrLoop nested && lanes!.UniformLoops.Contains(nested))
                {
                    EachLane(run, flagged: false);
                    SharedLoop(nested);
                }
                else
                {
                    run.Add(statement);
                }
            }
            EachLane(run, flagged: false);
            writer.Close();
            writer.Close();
            foreach (var counter in counters) expressions.LaneShared.Remove((counter.Name, counter.Type));
        }
    }
}
