using System.Collections.Generic;
using System.Linq;
using KernelGen.Diagnostics;
using KernelGen.Ir;
using KernelGen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Lowering
{
    internal sealed partial class BodyLowerer
    {
        private IrExpr LowerCondition(IOperation condition) => LowerExpression(condition);

        private IrExpr LowerExpression(IOperation operation)
        {
            if (operation is IInvalidOperation)
            {
                HasCompilerErrors = true;
                return Placeholder(IrType.I32);
            }
            if (operation.Type?.SpecialType == SpecialType.System_Double)
            {
                Report(KernelDiagnostics.DoubleNotSupported, operation);
                return Placeholder(IrType.F32);
            }
            if (operation.ConstantValue.HasValue && TypeMapper.Map(operation.Type) is { } constantType)
            {
                var literal = Literals.FromConstant(operation.ConstantValue.Value, constantType);
                if (literal is not null) return literal;
            }

            switch (operation)
            {
                case IConversionOperation conversion:
                    return LowerConversion(conversion);
                case ILocalReferenceOperation array when arrays.ContainsKey(array.Local):
                    Report(KernelDiagnostics.UnsupportedExpression, operation, "Using array '" + array.Local.Name + "' as a value",
                        "index it (a[i]) or read its Length; arrays cannot be copied or passed to helpers");
                    return Placeholder(IrType.I32);
                case ILocalReferenceOperation local:
                    return new IrLocal(TypeOf(local), localNames.TryGetValue(local.Local, out var name) ? name : local.Local.Name);
                case IParameterReferenceOperation parameter:
                    return LowerParameter(parameter);
                case IPropertyReferenceOperation property:
                    return LowerProperty(property);
                case IBinaryOperation binary:
                    return LowerBinary(binary);
                case IUnaryOperation unary:
                    return LowerUnary(unary);
                case IConditionalOperation conditional when conditional.WhenFalse is not null:
                    return new IrSelect(TypeOf(conditional), LowerExpression(conditional.Condition),
                        LowerExpression(conditional.WhenTrue), LowerExpression(conditional.WhenFalse));
                case IInvocationOperation invocation:
                    return LowerInvocation(invocation);
                case IFieldReferenceOperation { Instance: { } vector } lane when TypeMapper.IsNumericsVector(vector.Type, out _) && lane.Field.Name.Length == 1:
                    return new IrComponent(IrType.F32, LowerExpression(vector), char.ToLowerInvariant(lane.Field.Name[0]));
                case IFieldReferenceOperation { Instance: { } record } field when TypeOf(record) is { Struct: { } definition }:
                {
                    var member = definition.Fields.FirstOrDefault(f => f.CSharpName == field.Field.Name);
                    if (member is not null) return new IrMember(member.Type, LowerExpression(record), member.Name, member.CSharpName);
                    return Placeholder(operation);
                }
                case IObjectCreationOperation { Initializer: null, Arguments.Length: 0 } zero when TypeOf(zero) is { Struct: not null } structType:
                    return Literals.Zero(structType);
                case IObjectCreationOperation creation when TypeMapper.IsVectorType(creation.Type):
                {
                    var vectorType = TypeOf(creation);
                    if (creation.Arguments.Length == 0) return Literals.Zero(vectorType);
                    return new IrCall(vectorType, vectorType.Wgsl, creation.Arguments.Select(a => LowerExpression(a.Value)).ToEquatableArray());
                }
                case IFieldReferenceOperation field:
                    Report(KernelDiagnostics.UnsupportedExpression, operation, "Reading field '" + field.Field.Name + "'",
                        "kernels see only their parameters, locals and constants; make it const or pass it as a parameter");
                    return Placeholder(operation);
                case IObjectCreationOperation or IArrayCreationOperation or IAnonymousObjectCreationOperation:
                    Report(KernelDiagnostics.UnsupportedExpression, operation, "Creating an object with 'new'",
                        "kernels cannot allocate; use locals of float, int, uint or bool");
                    return Placeholder(operation);
                case IAssignmentOperation:
                    Report(KernelDiagnostics.UnsupportedExpression, operation, "An assignment used as a value",
                        "assign in a statement of its own");
                    return Placeholder(operation);
                case IIncrementOrDecrementOperation:
                    Report(KernelDiagnostics.UnsupportedExpression, operation, "++ or -- inside an expression",
                        "increment in a statement of its own (i++;) and use the variable after it");
                    return Placeholder(operation);
                default:
                    Report(KernelDiagnostics.UnsupportedExpression, operation, "This expression (" + operation.Kind + ")",
                        "kernels support arithmetic, comparisons, casts, ?:, buffer elements and MathF/Math calls");
                    return Placeholder(operation);
            }
        }

        private IrExpr LowerConversion(IConversionOperation conversion)
        {
            var operand = conversion.Operand;
            if (conversion.Conversion.IsUserDefined)
            {
                Report(KernelDiagnostics.UnsupportedExpression, conversion, "A user-defined conversion", "convert with a cast between float, int and uint");
                return Placeholder(conversion);
            }
            if (TypeMapper.Is64Bit(conversion.Type))
            {
                // Point at the expression that forces 64 bits (i < n with i uint and n int), once.
                var site = conversion.Parent is IBinaryOperation ? conversion.Parent : conversion;
                Report(KernelDiagnostics.SixtyFourBitArithmetic, site, conversion.Type!.ToDisplayString());
                return Placeholder(IrType.I32);
            }
            if (conversion.IsChecked && !conversion.Conversion.IsIdentity)
            {
                Report(KernelDiagnostics.UnsupportedExpression, conversion, "A checked conversion", "WGSL cannot throw on overflow; remove 'checked'");
                return Placeholder(conversion);
            }
            var target = TypeMapper.Map(conversion.Type);
            if (target is null)
            {
                ReportType(conversion.Type, conversion);
                return Placeholder(IrType.I32);
            }
            return Convert(LowerExpression(operand), target);
        }

        private IrExpr LowerParameter(IParameterReferenceOperation reference)
        {
            if (function is not null && localNames.TryGetValue(reference.Parameter, out var local))
                return new IrLocal(TypeOf(reference), local);
            if (scope.Parameters.TryGetValue(reference.Parameter.Name, out var parameter) && parameter.Kind == ParameterKind.Scalar)
                return new IrUniform(parameter.Type, parameter.WgslName);
            if (parameter is { Kind: ParameterKind.Specialized } && scope.Specialization.TryGetValue(parameter.CSharpName, out int value))
                return Literals.FromConstant(value, parameter.Type)!;
            Report(KernelDiagnostics.UnsupportedExpression, reference, "Using buffer '" + reference.Parameter.Name + "' as a value",
                "index it (buffer[i]) or read its Length");
            return Placeholder(IrType.F32);
        }

        private IrExpr LowerProperty(IPropertyReferenceOperation reference)
        {
            var property = reference.Property;
            var owner = property.ContainingType;
            if (TryLowerArrayAccess(reference, out var arrayAccess)) return arrayAccess;

            // buffer[i] and buffer.Length, on a buffer parameter.
            if (TypeMapper.IsBuffer(owner, out _, out _))
            {
                if (reference.Instance is IParameterReferenceOperation p && scope.Parameters.TryGetValue(p.Parameter.Name, out var buffer)
                    && buffer.IsBuffer)
                {
                    if (property.IsIndexer)
                    {
                        var element = new IrBufferElement(buffer.Type, buffer.WgslName, LowerExpression(reference.Arguments[0].Value));
                        return buffer.Atomic
                            ? new IrCall(buffer.Type, "atomicLoad", new IrExpr[] { new IrAddressOf(element) }.ToEquatableArray())
                            : element;
                    }
                    if (property.Name == "Length")
                        return new IrBufferLength(buffer.WgslName);
                }
                Report(KernelDiagnostics.UnsupportedExpression, reference, "This buffer access",
                    "index a buffer parameter directly (x[i]); buffers cannot be stored in locals");
                return Placeholder(reference);
            }

            // Kernel.GlobalId and friends.
            if (TypeMapper.IsRuntimeType(owner, "Kernel") && property.IsStatic && Builtins.TryGet(property.Name, out var builtin))
            {
                if (function is null) return builtin;
                Report(KernelDiagnostics.UnsupportedExpression, reference, "Reading Kernel." + property.Name + " in a helper function",
                    "read it in the kernel and pass it to the helper as a parameter");
                return Placeholder(reference);
            }

            // Vector4.Zero, Vector4.One
            if (TypeMapper.IsNumericsVector(owner, out _) && property.IsStatic && property.Name is "Zero" or "One")
            {
                var vectorType = TypeOf(reference);
                return property.Name == "Zero" ? Literals.Zero(vectorType) : new IrCall(vectorType, vectorType.Wgsl, new IrExpr[] { Literals.One(IrType.F32) }.ToEquatableArray());
            }

            // Int2..UInt4 .X / .Y / .Z / .W
            if (TypeMapper.IsIntegerVector(owner, out var laneScalar, out _) && reference.Instance is not null && property.Name.Length == 1 && "XYZW".Contains(property.Name))
                return new IrComponent(new IrType(laneScalar), LowerExpression(reference.Instance), char.ToLowerInvariant(property.Name[0]));

            Report(KernelDiagnostics.UnsupportedExpression, reference, "Property '" + owner.Name + "." + property.Name + "'",
                "kernels can read buffer elements, buffer Length, UInt3 components and the ids of KernelGen.Kernel");
            return Placeholder(reference);
        }

        private IrExpr LowerBinary(IBinaryOperation binary)
        {
            if (binary.OperatorMethod is not null && VectorOperators.Binary(binary.OperatorMethod) is { } vectorOp)
                return LowerVectorBinary(binary, vectorOp);
            if (binary.OperatorMethod is not null)
            {
                Report(KernelDiagnostics.UnsupportedExpression, binary, "A user-defined operator", "use operators on float, int, uint or bool");
                return Placeholder(binary);
            }
            var op = MapBinaryOperator(binary.OperatorKind, binary);
            if (op is null) return Placeholder(binary);
            if (binary.IsChecked)
            {
                // C# throws on overflow here; WGSL wraps. The CPU backend and the GPU would disagree.
                Report(KernelDiagnostics.UnsupportedExpression, binary, "Checked arithmetic", "WGSL wraps on overflow and cannot throw; remove 'checked'");
                return Placeholder(binary);
            }
            var left = LowerExpression(binary.LeftOperand);
            var right = ShiftAmount(op.Value, LowerExpression(binary.RightOperand));
            if (op is BinaryOp.Divide or BinaryOp.Remainder && right.Type.IsInteger && right is IrLiteral { Text: "0i" or "0u" })
            {
                // C# throws at run time; WGSL rejects the shader. Either way the line is a bug: say so at build time.
                Report(KernelDiagnostics.UnsupportedExpression, binary, "Integer division by a constant zero", "it always fails; divide by a non-zero value");
                return Placeholder(binary);
            }
            return new IrBinary(TypeOf(binary), BoolXorAsNotEqual(op.Value, left.Type), left, right);
        }

        /// <summary>WGSL has &amp; and | on bool but no ^; for bools it means !=.</summary>
        private static BinaryOp BoolXorAsNotEqual(BinaryOp op, IrType operand) =>
            op == BinaryOp.BitXor && operand.Scalar == ScalarKind.Bool ? BinaryOp.NotEqual : op;

        /// <summary>WGSL shifts take a u32 amount; C# gives an int (and masks it the same way).</summary>
        private static IrExpr ShiftAmount(BinaryOp op, IrExpr amount)
        {
            if (op is not (BinaryOp.ShiftLeft or BinaryOp.ShiftRight)) return amount;
            // A constant amount is spelled as a u32 literal (x >> 3u), with C#'s masking to the low 5 bits applied.
            if (amount is IrLiteral { Type.Scalar: ScalarKind.I32 } literal &&
                int.TryParse(literal.Text.TrimEnd('i'), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
                return Literals.FromConstant((uint)(value & 31), IrType.U32)!;
            return Convert(amount, IrType.U32);
        }

        private IrExpr LowerVectorBinary(IBinaryOperation binary, BinaryOp op)
        {
            var left = LowerExpression(binary.LeftOperand);
            var right = LowerExpression(binary.RightOperand);
            if (op is BinaryOp.Equal or BinaryOp.NotEqual)
            {
                // C#'s == on vectors is one bool; WGSL compares lane by lane: all(a == b), any(a != b).
                var lanes = new IrBinary(new IrType(ScalarKind.Bool, left.Type.Lanes), op, left, right);
                return new IrCall(IrType.Bool, op == BinaryOp.Equal ? "all" : "any", new IrExpr[] { lanes }.ToEquatableArray());
            }
            return new IrBinary(TypeOf(binary), op, left, right);
        }

        private IrExpr LowerUnary(IUnaryOperation unary)
        {
            if (unary.OperatorMethod is { Name: "op_UnaryNegation" } negation && TypeMapper.IsVectorType(negation.ContainingType))
                return new IrUnary(TypeOf(unary), UnaryOp.Negate, LowerExpression(unary.Operand));
            var operand = LowerExpression(unary.Operand);
            switch (unary.OperatorKind)
            {
                case UnaryOperatorKind.Plus:
                    return operand;
                case UnaryOperatorKind.Minus:
                    return new IrUnary(TypeOf(unary), UnaryOp.Negate, operand);
                case UnaryOperatorKind.Not:
                    return new IrUnary(TypeOf(unary), UnaryOp.Not, operand);
                case UnaryOperatorKind.BitwiseNegation:
                    return new IrUnary(TypeOf(unary), UnaryOp.BitwiseNot, operand);
                default:
                    Report(KernelDiagnostics.UnsupportedExpression, unary, "Operator " + unary.OperatorKind, "use -, !, or ~");
                    return Placeholder(unary);
            }
        }

        private IrExpr LowerInvocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (TryLowerMemoryIntrinsic(invocation) is { } memory) return memory;
            if (VectorOperators.Function(method) is { } vectorFunction)
            {
                var operands = new List<IrExpr>();
                if (invocation.Instance is not null) operands.Add(LowerExpression(invocation.Instance));
                operands.AddRange(invocation.Arguments.Select(a => LowerExpression(a.Value)));
                // v.LengthSquared() is dot(v, v).
                if (method.Name == "LengthSquared") operands.Add(operands[0]);
                return new IrCall(TypeMapper.Map(method.ReturnType) ?? IrType.F32, vectorFunction, operands.ToEquatableArray());
            }
            if (HelperFunctions.IsHelper(method, scope))
            {
                var name = HelperFunctions.Lower(method, scope, diagnostics, invocation);
                var result = method.ReturnsVoid ? IrType.Void : TypeMapper.Map(method.ReturnType) ?? IrType.I32;
                var helperArguments = invocation.Arguments.Select(a => LowerExpression(a.Value)).ToEquatableArray();
                return name is null
                    ? Placeholder(result.Scalar == ScalarKind.Void ? IrType.I32 : result)
                    : new IrCall(result, name, helperArguments, method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." +
                        (Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(method.Name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" : "") + method.Name);
            }
            var builtinFunction = Intrinsics.WgslFunction(method);
            var returnType = TypeMapper.Map(method.ReturnType);
            if (builtinFunction is null || returnType is null || method.Parameters.Any(p => TypeMapper.Map(p.Type) is null))
            {
                Report(KernelDiagnostics.UnsupportedMethod, invocation,
                    method.ContainingType?.Name + "." + method.Name + "(" + string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString())) + ")");
                return Placeholder(invocation);
            }
            var arguments = invocation.Arguments.Select(a => LowerExpression(a.Value)).ToEquatableArray();
            return Intrinsics.Call(builtinFunction, returnType, arguments);
        }

        private BinaryOp? MapBinaryOperator(BinaryOperatorKind kind, IOperation site)
        {
            switch (kind)
            {
                case BinaryOperatorKind.Add: return BinaryOp.Add;
                case BinaryOperatorKind.Subtract: return BinaryOp.Subtract;
                case BinaryOperatorKind.Multiply: return BinaryOp.Multiply;
                case BinaryOperatorKind.Divide: return BinaryOp.Divide;
                case BinaryOperatorKind.Remainder: return BinaryOp.Remainder;
                case BinaryOperatorKind.LeftShift: return BinaryOp.ShiftLeft;
                case BinaryOperatorKind.RightShift: return BinaryOp.ShiftRight;
                case BinaryOperatorKind.And: return BinaryOp.BitAnd;
                case BinaryOperatorKind.Or: return BinaryOp.BitOr;
                case BinaryOperatorKind.ExclusiveOr: return BinaryOp.BitXor;
                case BinaryOperatorKind.Equals: return BinaryOp.Equal;
                case BinaryOperatorKind.NotEquals: return BinaryOp.NotEqual;
                case BinaryOperatorKind.LessThan: return BinaryOp.Less;
                case BinaryOperatorKind.LessThanOrEqual: return BinaryOp.LessEqual;
                case BinaryOperatorKind.GreaterThan: return BinaryOp.Greater;
                case BinaryOperatorKind.GreaterThanOrEqual: return BinaryOp.GreaterEqual;
                case BinaryOperatorKind.ConditionalAnd: return BinaryOp.LogicalAnd;
                case BinaryOperatorKind.ConditionalOr: return BinaryOp.LogicalOr;
                default:
                    Report(KernelDiagnostics.UnsupportedExpression, site, "Operator " + kind, "use arithmetic, bitwise, comparison or logical operators");
                    return null;
            }
        }

        /// <summary>Wraps in a conversion unless the value already has the type.</summary>
        private static IrExpr Convert(IrExpr value, IrType type) => value.Type == type ? value : new IrConvert(type, value);

        private IrType TypeOf(IOperation operation)
        {
            var type = TypeMapper.Map(operation.Type);
            if (type is not null) return type;
            ReportType(operation.Type, operation);
            return IrType.I32;
        }

        private static IrExpr Placeholder(IrType type) => Literals.Zero(type);

        private static IrExpr Placeholder(IOperation operation) => Literals.Zero(TypeMapper.Map(operation.Type) ?? IrType.I32);

        private void ReportType(ITypeSymbol? type, IOperation site)
        {
            if (type is null || type.TypeKind == TypeKind.Error) { HasCompilerErrors = true; return; }
            if (StructMapper.Problem(type) is { } problem)
            {
                Report(KernelDiagnostics.UnsupportedStruct, site, type.Name, problem);
                return;
            }
            if (type.SpecialType == SpecialType.System_Double) Report(KernelDiagnostics.DoubleNotSupported, site);
            else Report(KernelDiagnostics.UnsupportedType, site, type.ToDisplayString());
        }

        private void Report(DiagnosticDescriptor descriptor, IOperation site, params string[] arguments)
        {
            var info = DiagnosticInfo.Create(descriptor, site.Syntax.GetLocation(), arguments);
            // The same site can be reached twice (both operands of "i < n" widen to long); say it once.
            foreach (var existing in diagnostics)
                if (existing.Descriptor.Id == info.Descriptor.Id && existing.Span == info.Span && existing.FilePath == info.FilePath) return;
            diagnostics.Add(info);
        }
    }
}
