using System.Collections.Generic;
using System.Linq;
using KernelGen.Diagnostics;
using KernelGen.Ir;
using KernelGen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Lowering
{
    /// <summary>
    /// Memory beyond locals: function-scope arrays (<c>stackalloc</c>), workgroup arrays, barriers with a check that
    /// they sit in uniform control flow, and atomics on buffer elements.
    /// </summary>
    internal sealed partial class BodyLowerer
    {
        private const int WorkgroupStorageLimit = 16384;

        private readonly Dictionary<ISymbol, (string Name, IrType Element, int Length)> arrays =
            new Dictionary<ISymbol, (string, IrType, int)>(SymbolEqualityComparer.Default);

        // Uniformity: how many enclosing branches/loops depend on thread ids or data, whether some invocations may
        // already have returned, and which locals hold per-invocation values.
        private int varyingDepth;
        private bool diverged;
        private readonly HashSet<string> varyingLocals = new HashSet<string>();

        /// <summary><c>Span&lt;T&gt; a = stackalloc T[N];</c> and <c>var t = Kernel.WorkgroupArray&lt;T&gt;(N);</c>.</summary>
        private bool TryLowerArrayDeclaration(IVariableDeclaratorOperation declarator, IOperation? initializer, List<IrStmt> output, bool topLevel)
        {
            var local = declarator.Symbol;
            if (declarator.Syntax is VariableDeclaratorSyntax { Initializer.Value: StackAllocArrayCreationExpressionSyntax allocation })
            {
                var element = ElementOf(local.Type);
                var length = ConstantLength(allocation.Type is ArrayTypeSyntax array ? array.RankSpecifiers[0].Sizes[0] : null, declarator);
                if (element is null || length is null || allocation.Initializer is not null)
                {
                    if (element is null || allocation.Initializer is not null)
                        Report(KernelDiagnostics.InvalidArray, declarator,
                            "Local arrays are written 'Span<T> name = stackalloc T[N];' with T float, int, uint or bool, N a constant, and no initializer list");
                    return true;
                }
                var name = locals.Name(local.Name);
                localNames[local] = name;
                arrays[local] = (name, element, length.Value);
                output.Add(new IrDeclareArray(LineOf(declarator), name, element, length.Value));
                return true;
            }

            if (initializer is IInvocationOperation { TargetMethod: { Name: "WorkgroupArray" } method } call &&
                TypeMapper.IsRuntimeType(method.ContainingType, "Kernel"))
            {
                var element = TypeMapper.MapBufferElement(method.TypeArguments[0]);
                var length = ConstantLength(call.Arguments[0].Value.Syntax, declarator);
                if (element is null)
                    Report(KernelDiagnostics.InvalidArray, declarator, "Workgroup arrays hold float, int, uint, Vector2 or Vector4");
                else if (function is not null || !topLevel)
                    Report(KernelDiagnostics.InvalidArray, declarator,
                        "Declare workgroup arrays at the top level of the kernel method, outside branches, loops and helpers");
                else if (length is not null)
                {
                    var name = scope.Names.Claim(local.Name);
                    localNames[local] = name;
                    arrays[local] = (name, element, length.Value);
                    scope.WorkgroupArrays.Add(new IrWorkgroupArray(name, element, length.Value));
                    int bytes = scope.WorkgroupArrays.Sum(a => a.Length * a.ElementType.Lanes * 4);
                    if (bytes > WorkgroupStorageLimit)
                        Report(KernelDiagnostics.WorkgroupStorageTooLarge, declarator, bytes.ToString());
                }
                return true;
            }
            return false;
        }

        private static IrType? ElementOf(ITypeSymbol type) =>
            type is INamedTypeSymbol { Name: "Span", TypeArguments.Length: 1 } span && span.ContainingNamespace?.ToDisplayString() == "System"
                ? TypeMapper.Map(span.TypeArguments[0])
                : null;

        private int? ConstantLength(SyntaxNode? sizeSyntax, IOperation site)
        {
            var constant = sizeSyntax is null ? default : site.SemanticModel?.GetConstantValue(sizeSyntax);
            if (constant is { HasValue: true, Value: int length } && length > 0) return length;
            // A [Specialize] parameter is a constant in each variant: fold the lowered expression.
            if (sizeSyntax is not null && site.SemanticModel?.GetOperation(sizeSyntax) is { } size &&
                IrFolder.TryFoldInteger(LowerExpression(size)) is { } folded && folded > 0 && folded <= int.MaxValue)
                return (int)folded;
            Report(KernelDiagnostics.InvalidArray, site, "The length of an array must be a positive compile-time constant (a literal or a const)");
            return null;
        }

        /// <summary><c>a[i]</c> and <c>a.Length</c> on a local or workgroup array.</summary>
        private bool TryLowerArrayAccess(IPropertyReferenceOperation reference, out IrExpr result)
        {
            result = null!;
            if (reference.Instance is not ILocalReferenceOperation local || !arrays.TryGetValue(local.Local, out var array)) return false;
            if (reference.Property.IsIndexer)
            {
                var index = LowerExpression(reference.Arguments[0].Value);
                // WGSL rejects a constant index outside a fixed-size array; C# would throw at run time. Say it now.
                if (IrFolder.TryFoldInteger(index) is { } constant && (constant < 0 || constant >= array.Length))
                    Report(KernelDiagnostics.InvalidArray, reference, "Index " + constant + " is outside '" + reference.Instance.Syntax + "', which has " + array.Length + " elements");
                result = new IrArrayElement(array.Element, array.Name, index);
            }
            else if (reference.Property.Name == "Length")
                result = Literals.FromConstant(array.Length, IrType.I32)!;
            else
                return false;
            return true;
        }

        /// <summary>True when <paramref name="target"/> is an element of a buffer used with atomics.</summary>
        private bool IsAtomicBufferElement(IOperation target, out IrBufferElement element)
        {
            element = null!;
            if (target is IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation p } reference &&
                scope.AtomicBuffers.Contains(p.Parameter.Name) && scope.Parameters.TryGetValue(p.Parameter.Name, out var buffer))
            {
                element = new IrBufferElement(buffer.Type, buffer.WgslName, LowerExpression(reference.Arguments[0].Value));
                return true;
            }
            return false;
        }

        private static readonly Dictionary<string, string> AtomicFunctions = new Dictionary<string, string>
        {
            ["Add"] = "atomicAdd", ["Exchange"] = "atomicExchange", ["And"] = "atomicAnd", ["Or"] = "atomicOr",
            ["Min"] = "atomicMin", ["Max"] = "atomicMax", ["CompareExchange"] = CompareExchangeFunction,
        };

        /// <summary>
        /// The IR name of the strong compare-exchange: <c>atomicCompareExchange(&amp;buffer[i], comparand, value)</c>
        /// (WGSL's argument order). WGSL has only the weak form, so the module emitter writes a retry loop for it.
        /// </summary>
        public const string CompareExchangeFunction = "atomicCompareExchange";

        /// <summary>Kernel barriers and KernelGen.Atomic calls; null when the call is neither.</summary>
        private IrExpr? TryLowerMemoryIntrinsic(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (TypeMapper.IsRuntimeType(method.ContainingType, "Kernel") && method.Name is "WorkgroupBarrier" or "StorageBarrier")
            {
                scope.UsesBarriers = true;
                if (varyingDepth > 0 || diverged)
                    Report(KernelDiagnostics.NonUniformBarrier, invocation, varyingDepth > 0
                        ? "it is inside a branch or loop whose condition depends on thread ids or data"
                        : "some invocations may have returned before it");
                return new IrCall(IrType.Void, method.Name == "WorkgroupBarrier" ? "workgroupBarrier" : "storageBarrier", EquatableArray<IrExpr>.Empty);
            }
            if (TypeMapper.IsRuntimeType(method.ContainingType, "Atomic") && AtomicFunctions.TryGetValue(method.Name, out var function))
            {
                var type = TypeMapper.Map(method.ReturnType) ?? IrType.I32;
                if (invocation.Arguments[0].Value is not IParameterReferenceOperation p || !scope.Parameters.TryGetValue(p.Parameter.Name, out var buffer))
                {
                    Report(KernelDiagnostics.UnsupportedExpression, invocation, "An atomic on something other than a buffer parameter",
                        "pass the kernel's ReadWriteBuffer parameter itself");
                    return Placeholder(type);
                }
                var element = new IrBufferElement(buffer.Type, buffer.WgslName, LowerExpression(invocation.Arguments[1].Value));
                var value = LowerExpression(invocation.Arguments[2].Value);
                // C# passes (value, comparand) like Interlocked.CompareExchange; WGSL takes (comparand, value).
                var operands = function == CompareExchangeFunction
                    ? new IrExpr[] { new IrAddressOf(element), LowerExpression(invocation.Arguments[3].Value), value }
                    : new IrExpr[] { new IrAddressOf(element), value };
                return new IrCall(type, function, operands.ToEquatableArray());
            }
            return null;
        }

        /// <summary>Whether an expression can differ between the invocations of a workgroup.</summary>
        private bool IsVarying(IrExpr expression) => IrWalker.Walk(expression).Any(e => e switch
        {
            IrBuiltin builtin => builtin.Kind is BuiltinKind.GlobalId or BuiltinKind.LocalId or BuiltinKind.LocalIndex,
            IrBufferElement or IrArrayElement => true,
            IrLocal local => varyingLocals.Contains(local.Name),
            IrCall call => call.Function.StartsWith("atomic", System.StringComparison.Ordinal),
            _ => false,
        });

        /// <summary>Notes that a local now holds a per-invocation value (assigned from one, or under a varying branch).</summary>
        private void TrackAssignment(IrExpr target, IrExpr value)
        {
            if (target is IrLocal local && (varyingDepth > 0 || IsVarying(value))) varyingLocals.Add(local.Name);
        }

        /// <summary>Lowers a branch or loop body, counting it as non-uniform when its condition varies.</summary>
        private IrBlock LowerGuarded(IrExpr? condition, IOperation? body) => Guarded(condition, () => LowerBlock(body));

        private IrBlock Guarded(IrExpr? condition, System.Func<IrBlock> lower)
        {
            bool varying = condition is not null && IsVarying(condition);
            if (varying) varyingDepth++;
            var block = lower();
            if (varying)
            {
                varyingDepth--;
                // "if (i >= n) return;": the invocations that returned will not reach a later barrier.
                if (ContainsExit(block)) diverged = true;
            }
            return block;
        }

        private static bool ContainsExit(IrBlock block) => block.Statements.Any(s => s switch
        {
            IrReturn => true,
            IrIf conditional => ContainsExit(conditional.Then) || (conditional.Else is not null && ContainsExit(conditional.Else)),
            IrNestedBlock nested => ContainsExit(nested.Block),
            _ => false,
        });
    }
}
