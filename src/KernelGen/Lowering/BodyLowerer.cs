using System.Collections.Generic;
using System.Linq;
using KernelGen.Diagnostics;
using KernelGen.Ir;
using KernelGen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Lowering
{
    /// <summary>
    /// Lowers a kernel body from Roslyn's <see cref="IOperation"/> tree (types, implicit conversions, constants and
    /// resolved methods already computed by the compiler) to the typed IR. Every construct without a WGSL meaning
    /// becomes a diagnostic at its own location; lowering goes on so one build reports them all.
    /// This file: statements. BodyLowerer.Expressions.cs: expressions.
    /// </summary>
    internal sealed partial class BodyLowerer
    {
        private readonly KernelScope scope;
        private readonly List<DiagnosticInfo> diagnostics;
        private readonly HashSet<ISymbol> reassigned;
        private readonly Dictionary<ISymbol, string> localNames = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        private readonly WgslNames.Locals locals;

        /// <summary>The helper function being lowered, or null for the kernel's own body.</summary>
        private readonly IMethodSymbol? function;

        public BodyLowerer(KernelScope scope, List<DiagnosticInfo> diagnostics, IOperation body, IMethodSymbol? function = null)
        {
            this.scope = scope;
            this.diagnostics = diagnostics;
            this.function = function;
            locals = new WgslNames.Locals(scope.Names);
            reassigned = FindReassigned(body);
            if (function is not null)
                foreach (var parameter in function.Parameters) localNames[parameter] = locals.Name(parameter.Name);
        }

        /// <summary>The WGSL name of a helper function's parameter inside its body.</summary>
        public string NameOf(IParameterSymbol parameter) => localNames[parameter];

        /// <summary>True when the body assigns the symbol after declaring it (it must be a WGSL var).</summary>
        public bool IsReassigned(ISymbol symbol) => reassigned.Contains(symbol);

        /// <summary>True when the body has C# errors: the compiler reports those, and nothing is generated.</summary>
        public bool HasCompilerErrors { get; private set; }

        /// <summary>0 while lowering the top-level statements of the body, more inside blocks, branches and loops.</summary>
        private int nesting = -1;

        public IrBlock LowerBody(IBlockOperation body) => LowerBlock(body);

        private IrBlock LowerBlock(IOperation? operation)
        {
            var statements = new List<IrStmt>();
            nesting++;
            if (operation is IBlockOperation block)
                foreach (var statement in block.Operations) LowerStatement(statement, statements);
            else if (operation is not null)
                LowerStatement(operation, statements);
            nesting--;
            return new IrBlock(statements.ToEquatableArray());
        }

        private void LowerStatement(IOperation operation, List<IrStmt> output)
        {
            int line = LineOf(operation);
            switch (operation)
            {
                case IBlockOperation block:
                    output.Add(new IrNestedBlock(line, LowerBlock(block)));
                    break;
                case IVariableDeclarationGroupOperation group:
                    LowerDeclarations(group, output);
                    break;
                case IExpressionStatementOperation statement:
                    LowerExpressionStatement(statement.Operation, line, output);
                    break;
                case IConditionalOperation conditional:
                {
                    var condition = LowerCondition(conditional.Condition);
                    output.Add(new IrIf(line, condition, LowerGuarded(condition, conditional.WhenTrue),
                        conditional.WhenFalse is null ? null : LowerGuarded(condition, conditional.WhenFalse)));
                    break;
                }
                case IReturnOperation ret:
                    output.Add(new IrReturn(line, ret.ReturnedValue is null ? null : LowerExpression(ret.ReturnedValue)));
                    break;
                case IForLoopOperation loop:
                {
                    nesting++; // the loop's own declarations are not top-level
                    var before = LowerStatements(loop.Before);
                    var condition = loop.Condition is null ? null : LowerCondition(loop.Condition);
                    var body = LowerGuarded(condition, loop.Body);
                    var updates = LowerStatements(loop.AtLoopBottom);
                    nesting--;
                    output.Add(new IrLoop(line, before, condition, ConditionAtEnd: false, updates, body));
                    break;
                }
                case IWhileLoopOperation loop when loop.Condition is not null && !loop.ConditionIsUntil:
                {
                    var condition = LowerCondition(loop.Condition);
                    output.Add(new IrLoop(line, new IrBlock(EquatableArray<IrStmt>.Empty), condition,
                        ConditionAtEnd: !loop.ConditionIsTop, new IrBlock(EquatableArray<IrStmt>.Empty), LowerGuarded(condition, loop.Body)));
                    break;
                }
                case ISwitchOperation @switch:
                    LowerSwitch(@switch, line, output);
                    break;
                case IBranchOperation { BranchKind: BranchKind.Break }:
                    output.Add(new IrBreak(line));
                    break;
                case IBranchOperation { BranchKind: BranchKind.Continue }:
                    output.Add(new IrContinue(line));
                    break;
                case IEmptyOperation:
                    break;
                case IInvalidOperation:
                    HasCompilerErrors = true;
                    break;
                default:
                    Report(KernelDiagnostics.UnsupportedStatement, operation, StatementName(operation), StatementAdvice(operation));
                    break;
            }
        }

        /// <summary>A switch on an int or uint with constant case labels; no patterns, no goto case.</summary>
        private void LowerSwitch(ISwitchOperation @switch, int line, List<IrStmt> output)
        {
            var selector = LowerExpression(@switch.Value);
            if (!selector.Type.IsInteger || selector.Type.IsVector)
            {
                Report(KernelDiagnostics.UnsupportedStatement, @switch.Value, "A switch on a " + selector.Type.CSharp, "WGSL switches on int or uint only; use if/else");
                return;
            }
            var cases = new List<IrSwitchCase>();
            bool hasDefault = false;
            foreach (var section in @switch.Cases)
            {
                var values = new List<IrExpr>();
                bool isDefault = false;
                foreach (var clause in section.Clauses)
                {
                    if (clause is IDefaultCaseClauseOperation) { isDefault = true; continue; }
                    if (clause is ISingleValueCaseClauseOperation single && single.Value.ConstantValue.HasValue &&
                        Literals.FromConstant(single.Value.ConstantValue.Value, selector.Type) is { } label)
                    {
                        values.Add(label);
                        continue;
                    }
                    Report(KernelDiagnostics.UnsupportedStatement, clause, "A pattern or non-constant case label", "use constant case labels (case 1:, case Size:)");
                }
                hasDefault |= isDefault;
                var block = Guarded(selector, () =>
                {
                    nesting++;
                    var lowered = LowerStatements(section.Body);
                    nesting--;
                    return lowered;
                });
                // C#'s mandatory break at the end of a section is implied in WGSL.
                var body = block.Statements.Count > 0 && block.Statements[block.Statements.Count - 1] is IrBreak
                    ? new IrBlock(block.Statements.Take(block.Statements.Count - 1).ToEquatableArray())
                    : block;
                cases.Add(new IrSwitchCase(values.ToEquatableArray(), isDefault, body));
            }
            if (!hasDefault) cases.Add(new IrSwitchCase(EquatableArray<IrExpr>.Empty, true, new IrBlock(EquatableArray<IrStmt>.Empty)));
            output.Add(new IrSwitch(line, selector, cases.ToEquatableArray()));
        }

        private IrBlock LowerStatements(IEnumerable<IOperation> operations)
        {
            var statements = new List<IrStmt>();
            foreach (var operation in operations) LowerStatement(operation, statements);
            return new IrBlock(statements.ToEquatableArray());
        }

        private void LowerDeclarations(IVariableDeclarationGroupOperation group, List<IrStmt> output)
        {
            foreach (var declaration in group.Declarations)
            foreach (var declarator in declaration.Declarators)
            {
                var local = declarator.Symbol;
                // const locals are folded into every use by the compiler; nothing to declare.
                if (local.IsConst) continue;
                if (local.RefKind != RefKind.None)
                {
                    Report(KernelDiagnostics.UnsupportedStatement, declarator, "A ref local", "WGSL has no references to locals; copy the value and write it back");
                    continue;
                }
                var initializer = declarator.GetVariableInitializer()?.Value ?? declaration.Initializer?.Value;
                if (TryLowerArrayDeclaration(declarator, initializer, output, topLevel: nesting == 0)) continue;
                var type = TypeMapper.Map(local.Type);
                if (type is null)
                {
                    ReportType(local.Type, declarator);
                    continue;
                }
                var name = locals.Name(local.Name);
                localNames[local] = name;
                var value = initializer is null ? null : LowerExpression(initializer);
                if (value is not null) TrackAssignment(new IrLocal(type, name), value);
                bool mutable = initializer is null || reassigned.Contains(local);
                output.Add(new IrDeclare(LineOf(declarator), name, type, value, mutable));
            }
        }

        private void LowerExpressionStatement(IOperation expression, int line, List<IrStmt> output)
        {
            switch (expression)
            {
                case ISimpleAssignmentOperation assignment:
                {
                    if (IsAtomicBufferElement(assignment.Target, out var atomicElement))
                    {
                        // A buffer used with atomics holds atomic<T>: a plain write is an atomicStore.
                        var stored = LowerExpression(assignment.Value);
                        output.Add(new IrCallStatement(line, new IrCall(IrType.Void, "atomicStore",
                            new IrExpr[] { new IrAddressOf(atomicElement), stored }.ToEquatableArray())));
                        return;
                    }
                    var target = LowerAssignable(assignment.Target);
                    if (target is null) return;
                    var value = LowerExpression(assignment.Value);
                    TrackAssignment(target, value);
                    output.Add(new IrAssign(line, target, value, null));
                    break;
                }
                case IIncrementOrDecrementOperation increment when IsAtomicBufferElement(increment.Target, out _):
                case ICompoundAssignmentOperation compoundAtomic when IsAtomicBufferElement(compoundAtomic.Target, out _):
                    Report(KernelDiagnostics.UnsupportedExpression, expression, "A read-modify-write of an atomic buffer's element",
                        "use Atomic.Add (or another Atomic method) so concurrent invocations do not lose updates");
                    break;
                case ICompoundAssignmentOperation compound:
                    LowerCompoundAssignment(compound, line, output);
                    break;
                case IIncrementOrDecrementOperation increment:
                {
                    var target = LowerAssignable(increment.Target);
                    if (target is not null) TrackAssignment(target, target);
                    if (target is null) return;
                    bool up = increment.Kind == OperationKind.Increment;
                    if (target.Type.IsInteger)
                        output.Add(new IrIncrement(line, target, up));
                    else // WGSL's ++ and -- exist only for integers.
                        output.Add(new IrAssign(line, target, Literals.One(target.Type), up ? BinaryOp.Add : BinaryOp.Subtract));
                    break;
                }
                case IInvocationOperation invocation:
                {
                    var call = LowerExpression(invocation) as IrCall;
                    if (call is not null) output.Add(new IrCallStatement(line, call));
                    break;
                }
                case IInvalidOperation:
                    HasCompilerErrors = true;
                    break;
                default:
                    Report(KernelDiagnostics.UnsupportedStatement, expression, "This expression statement",
                        "write an assignment, a compound assignment, ++/-- or a call");
                    break;
            }
        }

        private void LowerCompoundAssignment(ICompoundAssignmentOperation compound, int line, List<IrStmt> output)
        {
            var target = LowerAssignable(compound.Target);
            if (target is null) return;
            var op = MapBinaryOperator(compound.OperatorKind, compound);
            if (op is null) return;
            var value = LowerExpression(compound.Value);
            TrackAssignment(target, value);
            if (compound.OperatorMethod is not null && TypeMapper.IsVectorType(compound.OperatorMethod.ContainingType))
            {
                // v += w, v *= s: WGSL has the same compound forms for vectors, and for a vector and a scalar.
                output.Add(new IrAssign(line, target, value, op));
                return;
            }
            if (op == BinaryOp.BitXor && target.Type.Scalar == ScalarKind.Bool)
            {
                output.Add(new IrAssign(line, target, new IrBinary(IrType.Bool, BinaryOp.NotEqual, target, value), null));
                return;
            }
            if (compound.InConversion.IsIdentity && compound.OutConversion.IsIdentity && SameType(target.Type, value.Type, op.Value))
            {
                output.Add(new IrAssign(line, target, ShiftAmount(op.Value, value), op));
                return;
            }
            // C# computes "x op= v" in a wider type and converts back: x = (T)(x op v). Spell that out for WGSL.
            var operandType = TypeMapper.Map(compound.Type) ?? target.Type;
            var inType = value.Type.Scalar == operandType.Scalar ? operandType : value.Type;
            IrExpr left = Convert(target, inType);
            var right = ShiftAmount(op.Value, Convert(value, inType));
            var combined = new IrBinary(inType, op.Value, left, right);
            output.Add(new IrAssign(line, target, Convert(combined, target.Type), null));
        }

        private static bool SameType(IrType target, IrType value, BinaryOp op) =>
            op is BinaryOp.ShiftLeft or BinaryOp.ShiftRight || target == value;

        /// <summary>The target of an assignment: a local or a writable buffer element.</summary>
        private IrExpr? LowerAssignable(IOperation target)
        {
            switch (target)
            {
                case IFieldReferenceOperation when function is null && RootOf(target) is IParameterReferenceOperation uniform:
                    // p.X = ... on a vector or struct parameter: it lives in the read-only uniform block.
                    Report(KernelDiagnostics.AssignmentToParameter, target, uniform.Parameter.Name);
                    return null;
                case ILocalReferenceOperation:
                case IPropertyReferenceOperation:
                case IFieldReferenceOperation { Instance: { } instance } when TypeMapper.IsNumericsVector(instance.Type, out _) || StructMapper.IsUserStruct(instance.Type):
                    return LowerExpression(target);
                case IParameterReferenceOperation parameter when function is not null:
                    return LowerExpression(parameter);
                case IParameterReferenceOperation parameter:
                    Report(KernelDiagnostics.AssignmentToParameter, target, parameter.Parameter.Name);
                    return null;
                case IInvalidOperation:
                    HasCompilerErrors = true;
                    return null;
                default:
                    Report(KernelDiagnostics.UnsupportedExpression, target, "Assigning to this target",
                        "assign to a local variable or a ReadWriteBuffer element");
                    return null;
            }
        }

        /// <summary>The variable a chain of field accesses starts from (<c>p</c> in <c>p.inner.X</c>).</summary>
        private static IOperation RootOf(IOperation target)
        {
            while (target is IFieldReferenceOperation { Instance: { } instance }) target = instance;
            return target;
        }

        private static HashSet<ISymbol> FindReassigned(IOperation body)
        {
            var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in body.Descendants())
            {
                IOperation? target = operation switch
                {
                    IAssignmentOperation assignment => assignment.Target,
                    IIncrementOrDecrementOperation increment => increment.Target,
                    _ => null,
                };
                // v.X = 1f reassigns v.
                if (target is IFieldReferenceOperation { Instance: { } instance }) target = instance;
                if (target is ILocalReferenceOperation local) result.Add(local.Local);
                if (target is IParameterReferenceOperation parameter) result.Add(parameter.Parameter);
            }
            return result;
        }

        private static string StatementName(IOperation operation) => operation switch
        {
            IForEachLoopOperation => "A foreach loop",
            ITryOperation => "A try statement",
            IThrowOperation => "A throw",
            ILockOperation => "A lock statement",
            IUsingOperation => "A using statement",
            ILocalFunctionOperation => "A local function",
            IBranchOperation => "A goto",
            ILabeledOperation => "A label",
            _ => "This statement (" + operation.Syntax.Kind() + ")",
        };

        private static string StatementAdvice(IOperation operation) => operation switch
        {
            IForEachLoopOperation => "use a for loop over an index (for (int i = 0; i < n; i++))",
            ITryOperation or IThrowOperation => "kernels cannot throw; guard bad input with if and return",
            ILocalFunctionOperation => "make it a static method of the kernel's class",
            IBranchOperation or ILabeledOperation => "use loops with break/continue",
            _ => "kernels support declarations, assignments, if/else, for, while, do, break, continue and return",
        };

        private static int LineOf(IOperation operation) => operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
    }
}
