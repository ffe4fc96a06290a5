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
    /// Other static methods of the kernel's class, called from a kernel, become WGSL functions: lowered once per
    /// module however often they are called, with recursion reported (WGSL has none).
    /// </summary>
    internal static class HelperFunctions
    {
        /// <summary>
        /// A call the generator should treat as a helper: a static method with a body in source, in the kernel's class
        /// or in a class marked [KernelHelpers].
        /// </summary>
        public static bool IsHelper(IMethodSymbol method, KernelScope scope) =>
            method.IsStatic && method.MethodKind == MethodKind.Ordinary && Intrinsics.WgslFunction(method) is null &&
            method.DeclaringSyntaxReferences.Length > 0 &&
            (SymbolEqualityComparer.Default.Equals(method.ContainingType, scope.KernelType) ||
             method.ContainingType.GetAttributes().Any(a => a.AttributeClass is { } c && TypeMapper.IsRuntimeType(c, "KernelHelpersAttribute")));

        /// <summary>Lowers <paramref name="method"/> (once) and returns its WGSL name, or null when it cannot be a helper.</summary>
        public static string? Lower(IMethodSymbol method, KernelScope scope, List<DiagnosticInfo> diagnostics, IOperation callSite)
        {
            if (scope.FunctionNames.TryGetValue(method, out var known))
            {
                if (scope.InProgress.Contains(method))
                    diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.Recursion, callSite.Syntax.GetLocation(), method.Name));
                return known;
            }

            var problem = Problem(method);
            var syntax = method.DeclaringSyntaxReferences[0].GetSyntax() as MethodDeclarationSyntax;
            if (problem is not null || syntax is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.UnsupportedHelper, callSite.Syntax.GetLocation(), method.Name,
                    problem ?? "it has no body in source"));
                return null;
            }

            var name = scope.HelperNames.TryGetValue(method.OriginalDefinition, out var reserved) ? reserved : scope.Names.Claim(method.Name);
            scope.FunctionNames[method] = name;
            scope.InProgress.Add(method);
            var operation = scope.Compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax) as IMethodBodyOperation;
            var body = operation?.BlockBody ?? operation?.ExpressionBody;
            if (body is null)
            {
                scope.HelperHasCompilerErrors = true;
                return name;
            }
            scope.HelperBodies.Add(body);
            var lowerer = new BodyLowerer(scope, diagnostics, body, method);
            var block = lowerer.LowerBody(body);
            scope.HelperHasCompilerErrors |= lowerer.HasCompilerErrors;
            scope.InProgress.Remove(method);

            var parameters = method.Parameters
                .Select(p => new IrFunctionParameter(lowerer.NameOf(p), TypeMapper.Map(p.Type)!, lowerer.IsReassigned(p)))
                .ToEquatableArray();
            var returnType = method.ReturnsVoid ? IrType.Void : TypeMapper.Map(method.ReturnType)!;
            scope.Functions.Add(new IrFunction(name, parameters, returnType, block));
            return name;
        }

        private static string? Problem(IMethodSymbol method)
        {
            if (method.IsGenericMethod) return "generic methods are not supported; write one method per type";
            if (!method.ReturnsVoid && !IsValueType(TypeMapper.Map(method.ReturnType)))
                return "its return type '" + method.ReturnType.ToDisplayString() + "' is not float, int, uint, bool or UInt3";
            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind != RefKind.None) return "parameter '" + parameter.Name + "' is passed by reference; pass values and return the result";
                if (!IsValueType(TypeMapper.Map(parameter.Type)))
                    return "parameter '" + parameter.Name + "' has type '" + parameter.Type.ToDisplayString() +
                           "'; helpers take float, int, uint, bool or UInt3 values (index buffers in the kernel itself)";
            }
            return null;
        }

        private static bool IsValueType(IrType? type) => type is not null && type.Scalar != ScalarKind.Void;
    }
}
