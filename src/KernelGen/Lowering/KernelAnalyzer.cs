using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KernelGen.Diagnostics;
using KernelGen.Ir;
using KernelGen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Lowering
{
    /// <summary>
    /// Looks at one [ComputeKernel] method: checks its signature, container, workgroup size and parameters, lowers
    /// its body, and returns either a model for the emitters or the diagnostics that explain why there is none.
    /// Never throws: an unexpected failure becomes diagnostic KG9999 rather than a silently dropped generator.
    /// </summary>
    internal static class KernelAnalyzer
    {
        public static KernelResult Analyze(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            Analyze(context, null, cancellationToken);

        /// <summary>
        /// As <see cref="Analyze(GeneratorAttributeSyntaxContext, CancellationToken)"/>, and records in
        /// <paramref name="dependencies"/> the declarations the result was made from (for <see cref="Caching.KernelAnalysisCache"/>).
        /// </summary>
        public static KernelResult Analyze(GeneratorAttributeSyntaxContext context, Caching.KernelDependencies? dependencies,
            CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var method = context.TargetSymbol as IMethodSymbol;
            var syntax = context.TargetNode as MethodDeclarationSyntax;
            if (method is null || syntax is null) return new KernelResult(EquatableArray<KernelModel>.Empty, EquatableArray<DiagnosticInfo>.Empty);
            var checks = new CompilerErrorCheck(context, syntax);
            try
            {
                dependencies?.AddKernel(method, context.Attributes[0], context.SemanticModel, cancellationToken);
                var variants = Build(context, method, syntax, diagnostics, checks, dependencies, cancellationToken);
                bool failed = diagnostics.Count > 0;
                checks.HideIfCompilerErrors(diagnostics, cancellationToken);
                // Each variant reports the same problems at the same places: say each once.
                var distinct = diagnostics.GroupBy(d => (d.Descriptor.Id, d.FilePath, d.Span, string.Join("|", d.Arguments))).Select(g => g.First());
                return new KernelResult(failed ? EquatableArray<KernelModel>.Empty : variants.ToEquatableArray(), distinct.ToEquatableArray());
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                dependencies?.Abandon(); // an internal error is not worth keeping: the next run tries again
                // Lowering C# the compiler rejects may trip over what it does not expect; the compiler's errors say more.
                if (checks.KernelHasCompilerErrors(cancellationToken))
                    return new KernelResult(EquatableArray<KernelModel>.Empty, EquatableArray<DiagnosticInfo>.Empty);
                diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.InternalError, syntax.Identifier.GetLocation(),
                    method.Name, e.GetType().Name + ": " + e.Message));
                return new KernelResult(EquatableArray<KernelModel>.Empty, diagnostics.ToEquatableArray());
            }
        }

        private const int MaxVariants = 32;

        private static List<KernelModel> Build(GeneratorAttributeSyntaxContext context, IMethodSymbol method, MethodDeclarationSyntax syntax,
            List<DiagnosticInfo> diagnostics, CompilerErrorCheck checks, Caching.KernelDependencies? dependencies, CancellationToken cancellationToken)
        {
            var none = new List<KernelModel>();
            var nameLocation = syntax.Identifier.GetLocation();
            // [ComputeKernel] on the declaration of a partial method: the body is in the implementation part.
            if (method.PartialImplementationPart is { } implementation &&
                implementation.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax implementationSyntax)
                syntax = implementationSyntax;
            if (!method.IsStatic || method.IsGenericMethod || !method.ReturnsVoid || method.IsAsync || method.IsExtern)
                diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.InvalidKernelSignature, nameLocation, method.Name));

            // A namespace or class with a syntax error (a missing name) is the compiler's to report: emit nothing.
            for (ISymbol? outer = method.ContainingSymbol; outer is not null && outer is not INamespaceSymbol { IsGlobalNamespace: true }; outer = outer.ContainingSymbol)
                if (!SyntaxFacts.IsValidIdentifier(outer.Name)) return none;
            var containers = ContainersOf(method, nameLocation, diagnostics);
            var (x, y, z) = WorkgroupSize(context, diagnostics);
            CheckUniqueName(method, nameLocation, diagnostics);

            var semanticModel = syntax.SyntaxTree == context.SemanticModel.SyntaxTree
                ? context.SemanticModel
                : context.SemanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
            // Ordinary C# errors in the kernel are the compiler's to report; generating from broken code only adds noise.
            // Syntax errors are known for free, and class headers are checked once per class; errors in the body show
            // as invalid operations and error types while lowering (HasCompilerErrors); the rest only matter when
            // KernelGen would report something (CompilerErrorCheck.HideIfCompilerErrors).
            if (checks.SyntaxHasErrors(syntax) || checks.HeadersHaveCompilerErrors(cancellationToken)) return none;
            checks.FirstLoweringDiagnostic = diagnostics.Count;
            var operation = semanticModel.GetOperation(syntax, cancellationToken) as IMethodBodyOperation;
            var body = operation?.BlockBody ?? operation?.ExpressionBody;
            if (body is null)
            {
                // extern, or a partial method without implementation: nothing to translate.
                if (diagnostics.Count == 0)
                    diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.InvalidKernelSignature, nameLocation, method.Name));
                return none;
            }

            var combinations = Specializations(method, diagnostics);
            var variants = new List<KernelModel>();
            foreach (var specialization in combinations)
            {
                var variant = BuildVariant(context, method, syntax, body, containers, (x, y, z), specialization, diagnostics, dependencies);
                if (variant is null) return none;
                variants.Add(variant);
            }
            return variants;
        }

        /// <summary>Lowers the kernel once for one combination of its [Specialize] values (the only one when it has none).</summary>
        private static KernelModel? BuildVariant(GeneratorAttributeSyntaxContext context, IMethodSymbol method, MethodDeclarationSyntax syntax,
            IBlockOperation body, List<ContainingType> containers, (int X, int Y, int Z) size, EquatableArray<SpecializationValue> specialization,
            List<DiagnosticInfo> diagnostics, Caching.KernelDependencies? dependencies)
        {
            var scope = new KernelScope(context.SemanticModel.Compilation, method.ContainingType);
            foreach (var value in specialization) scope.Specialization[value.Parameter] = value.Value;
            FindAtomicBuffers(body, scope);
            var parameters = new List<KernelParameter>();
            foreach (var parameter in method.Parameters)
            {
                var lowered = LowerParameter(parameter, scope, diagnostics);
                if (lowered is null) continue;
                parameters.Add(lowered);
                scope.Parameters[parameter.Name] = lowered;
            }
            var uniformStruct = scope.Names.Claim("Params");
            var uniformVariable = scope.Names.Claim("params");

            var lowerer = new BodyLowerer(scope, diagnostics, body);
            var ir = lowerer.LowerBody(body);
            dependencies?.AddBodies(body, scope.HelperBodies);
            if (lowerer.HasCompilerErrors || scope.HelperHasCompilerErrors) return null; // the compiler's own errors say what is wrong.

            return new KernelModel(
                method.ContainingNamespace.IsGlobalNamespace ? "" : method.ContainingNamespace.ToDisplayString(),
                containers.ToEquatableArray(),
                method.Name,
                AccessibilityText(method.DeclaredAccessibility),
                size.X, size.Y, size.Z,
                parameters.ToEquatableArray(),
                ir,
                scope.Functions.ToEquatableArray(),
                scope.WorkgroupArrays.ToEquatableArray(),
                scope.UsesBarriers,
                uniformStruct,
                uniformVariable,
                syntax.SyntaxTree.FilePath,
                specialization);
        }

        /// <summary>Every combination of the values of the kernel's [Specialize] parameters (one empty one when none).</summary>
        private static List<EquatableArray<SpecializationValue>> Specializations(IMethodSymbol method, List<DiagnosticInfo> diagnostics)
        {
            var combinations = new List<List<SpecializationValue>> { new List<SpecializationValue>() };
            foreach (var parameter in method.Parameters)
            {
                var values = SpecializeValues(parameter);
                if (values is null) continue;
                if (values.Count == 0 || values.Distinct().Count() != values.Count || !(parameter.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_UInt32)
                    || (parameter.Type.SpecialType == SpecialType.System_UInt32 && values.Any(v => v < 0)))
                {
                    diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.InvalidSpecialization, parameter.Locations.FirstOrDefault(), parameter.Name,
                        "[Specialize] takes distinct constant values on an int or uint parameter (non-negative for uint)"));
                    continue;
                }
                combinations = combinations.SelectMany(c => values.Select(v => c.Concat(new[] { new SpecializationValue(parameter.Name, v) }).ToList())).ToList();
                if (combinations.Count > MaxVariants)
                {
                    diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.InvalidSpecialization, parameter.Locations.FirstOrDefault(), parameter.Name,
                        "the [Specialize] values make more than " + MaxVariants + " variants of this kernel; declare fewer"));
                    return new List<EquatableArray<SpecializationValue>> { EquatableArray<SpecializationValue>.Empty };
                }
            }
            return combinations.Select(c => c.ToEquatableArray()).ToList();
        }

        /// <summary>The values of a parameter's [Specialize(...)], or null when it has none.</summary>
        public static List<int>? SpecializeValues(IParameterSymbol parameter)
        {
            var attribute = parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass is { Name: "SpecializeAttribute" } c && TypeMapper.IsRuntimeType(c, "SpecializeAttribute"));
            if (attribute is null) return null;
            return attribute.ConstructorArguments.SelectMany(a => a.Kind == TypedConstantKind.Array ? (IEnumerable<TypedConstant>)a.Values : new[] { a })
                .Select(v => v.Value is int i ? i : int.MinValue).ToList();
        }

        private static List<ContainingType> ContainersOf(IMethodSymbol method, Location site, List<DiagnosticInfo> diagnostics)
        {
            var result = new List<ContainingType>();
            bool ok = true;
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                bool isPartial = type.DeclaringSyntaxReferences.Any(r =>
                    r.GetSyntax() is TypeDeclarationSyntax d && d.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)));
                bool innermost = SymbolEqualityComparer.Default.Equals(type, method.ContainingType);
                // A generated part cannot extend a record, a struct or a file-local class from another file.
                if (!isPartial || type.IsGenericType || type.TypeKind != TypeKind.Class || type.IsRecord || type.IsFileLocal ||
                    (innermost && !type.IsStatic)) ok = false;
                result.Insert(0, new ContainingType(type.Name, type.IsStatic));
            }
            if (!ok)
                diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.ContainerNotStaticPartial, site, method.Name,
                    method.ContainingType?.ToDisplayString() ?? "?"));
            return result;
        }

        private static (int X, int Y, int Z) WorkgroupSize(GeneratorAttributeSyntaxContext context, List<DiagnosticInfo> diagnostics)
        {
            var attribute = context.Attributes[0];
            var values = attribute.ConstructorArguments.Select(a => a.Value is int v ? v : 0).ToArray();
            int x = values.Length > 0 ? values[0] : 0, y = values.Length > 1 ? values[1] : 1, z = values.Length > 2 ? values[2] : 1;
            bool valid = x >= 1 && y >= 1 && z >= 1 && x <= 256 && y <= 256 && z <= 64 && (long)x * y * z <= 256;
            if (!valid)
                diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.InvalidWorkgroupSize,
                    attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation(), x.ToString(), y.ToString(), z.ToString()));
            return (x, y, z);
        }

        private static void CheckUniqueName(IMethodSymbol method, Location site, List<DiagnosticInfo> diagnostics)
        {
            var kernels = method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>()
                .Where(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KernelGenerator.AttributeName))
                .ToList();
            if (kernels.Count > 1 && !SymbolEqualityComparer.Default.Equals(kernels[0], method))
                diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.DuplicateKernelName, site, method.ContainingType.Name, method.Name));
            // The stub is a nested class "<Method>Kernel": the class must not already have a member of that name.
            if (method.ContainingType.GetMembers(method.Name + "Kernel").Any(m => !m.IsImplicitlyDeclared && m.DeclaringSyntaxReferences.Length > 0))
                diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.DuplicateKernelName, site, method.ContainingType.Name, method.Name));
        }

        private static KernelParameter? LowerParameter(IParameterSymbol parameter, KernelScope scope, List<DiagnosticInfo> diagnostics)
        {
            var site = parameter.Locations.FirstOrDefault();
            IrType? type;
            ParameterKind kind;
            if (TypeMapper.IsBuffer(parameter.Type, out bool writable, out var element))
            {
                type = TypeMapper.MapBufferElement(element);
                kind = writable ? ParameterKind.ReadWriteBuffer : ParameterKind.ReadOnlyBuffer;
            }
            else
            {
                type = TypeMapper.Map(parameter.Type);
                kind = ParameterKind.Scalar;
                // A struct by value travels in the uniform block, whose layout rules are stricter than storage's.
                if (type?.Struct is { } uniform && StructMapper.UniformProblem(uniform) is { } uniformProblem)
                {
                    diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.UnsupportedUniformStruct, site, parameter.Name, parameter.Type.Name, uniformProblem));
                    return null;
                }
                element = StructMapper.IsUserStruct(parameter.Type) ? parameter.Type : null; // for KG0019 below
            }
            if (type is null && element is not null && StructMapper.Problem(element) is { } problem)
            {
                diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.UnsupportedStruct, site, element.Name, problem));
                return null;
            }
            if (type is null || parameter.RefKind != RefKind.None || parameter.IsParams)
            {
                diagnostics.Add(DiagnosticInfo.Create(KernelDiagnostics.UnsupportedParameter, site, parameter.Name, parameter.Type.ToDisplayString()));
                return null;
            }
            if (kind == ParameterKind.Scalar && scope.Specialization.ContainsKey(parameter.Name)) kind = ParameterKind.Specialized;
            bool atomic = kind == ParameterKind.ReadWriteBuffer && scope.AtomicBuffers.Contains(parameter.Name);
            return new KernelParameter(parameter.Name, scope.Names.Claim(parameter.Name), kind, type, atomic);
        }

        /// <summary>Buffers passed to KernelGen.Atomic anywhere in the kernel: WGSL needs them typed atomic throughout.</summary>
        private static void FindAtomicBuffers(IOperation body, KernelScope scope)
        {
            foreach (var invocation in body.Descendants().OfType<IInvocationOperation>())
                if (TypeMapper.IsRuntimeType(invocation.TargetMethod.ContainingType, "Atomic") &&
                    invocation.Arguments.Length > 0 && invocation.Arguments[0].Value is IParameterReferenceOperation p)
                    scope.AtomicBuffers.Add(p.Parameter.Name);
        }

        private static string AccessibilityText(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Internal => "internal",
            Accessibility.Private => "private",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "internal",
        };
    }
}
