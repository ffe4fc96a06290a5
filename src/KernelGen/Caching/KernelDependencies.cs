using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Caching
{
    /// <summary>
    /// The syntax trees whose declarations one kernel's analysis used: the kernel's own file, every part of the classes
    /// around it, and the files declaring whatever its body, its helpers' bodies, its parameter types and its attributes'
    /// arguments refer to (helpers, [KernelHelpers] classes, constants, structs and their field types, base types).
    /// Symbols from metadata add nothing here: <see cref="CompilationFingerprint"/> covers the referenced assemblies.
    /// </summary>
    internal sealed class KernelDependencies
    {
        private readonly HashSet<SyntaxTree> trees = new HashSet<SyntaxTree>();
        private readonly HashSet<SyntaxNode> bodies = new HashSet<SyntaxNode>();
        private readonly HashSet<ISymbol> seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        private Compilation? compilation;

        /// <summary>Set when the analysis failed in a way worth retrying: the result must not be cached.</summary>
        public bool Abandoned { get; private set; }

        public IReadOnlyCollection<SyntaxTree> Trees => trees;

        /// <summary>The method bodies lowered: the kernel's and its helpers' (the Body or ExpressionBody node).</summary>
        public IReadOnlyCollection<SyntaxNode> Bodies => bodies;

        /// <summary>
        /// The content keys this analysis depends on (<see cref="TreeKeys"/>). A result with diagnostics depends on
        /// whole files, as its spans are character offsets; a clean one on the files' skeletons and the bodies it lowered.
        /// </summary>
        public string[] Keys(bool withDiagnostics)
        {
            var keys = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var tree in trees) keys.Add(withDiagnostics ? TreeKeys.Of(tree).Full : TreeKeys.Of(tree).Skeleton);
            if (!withDiagnostics)
                foreach (var body in bodies)
                    if (TreeKeys.Of(body.SyntaxTree).BodyKey(body) is { } key) keys.Add(key);
            return keys.ToArray();
        }

        public void Abandon() => Abandoned = true;

        public void AddKernel(IMethodSymbol method, AttributeData kernelAttribute, SemanticModel model, CancellationToken cancellationToken)
        {
            compilation = model.Compilation;
            // The kernel's own body, whether or not lowering gets to it: a syntax error in it also decides the result.
            foreach (var part in new[] { method, method.PartialImplementationPart })
                foreach (var reference in part?.DeclaringSyntaxReferences ?? ImmutableArray<SyntaxReference>.Empty)
                    if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration &&
                        ((SyntaxNode?)declaration.Body ?? declaration.ExpressionBody) is { } body)
                        bodies.Add(body);
            AddSymbol(method);
            if (method.PartialImplementationPart is { } implementation) AddSymbol(implementation);
            AddAttributeArguments(kernelAttribute, cancellationToken);
            foreach (var parameter in method.Parameters)
                foreach (var attribute in parameter.GetAttributes())
                    AddAttributeArguments(attribute, cancellationToken);
        }

        /// <summary>The operations lowered for one variant: the kernel's body and its helpers' bodies.</summary>
        public void AddBodies(IOperation body, IEnumerable<IOperation> helperBodies)
        {
            AddOperation(body);
            foreach (var helper in helperBodies) AddOperation(helper);
        }

        /// <summary>
        /// The types named by <c>using static</c> in the files found so far: a member added to one of them can change
        /// what an unqualified call in the kernel binds to. (Global usings are in <see cref="CompilationFingerprint"/>.)
        /// </summary>
        public void AddUsingStaticTargets(CancellationToken cancellationToken)
        {
            if (compilation is null) return;
            foreach (var tree in trees.ToList())
            {
                var root = tree.GetRoot(cancellationToken);
                var usings = root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
                    .OfType<UsingDirectiveSyntax>().Where(u => u.StaticKeyword != default && u.GlobalKeyword == default).ToList();
                if (usings.Count == 0) continue;
                var model = compilation.GetSemanticModel(tree);
                foreach (var directive in usings)
                    if (directive.Name is { } name) AddSymbol(model.GetSymbolInfo(name, cancellationToken).Symbol);
            }
        }

        private void AddAttributeArguments(AttributeData attribute, CancellationToken cancellationToken)
        {
            if (compilation is null || attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } arguments })
                return;
            var model = compilation.GetSemanticModel(arguments.SyntaxTree);
            foreach (var name in arguments.DescendantNodes().OfType<SimpleNameSyntax>())
                AddSymbol(model.GetSymbolInfo(name, cancellationToken).Symbol);
        }

        private void AddOperation(IOperation root)
        {
            if (root.Syntax.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault() is { } method &&
                ((SyntaxNode?)method.Body ?? method.ExpressionBody) is { } body)
                bodies.Add(body);
            foreach (var operation in root.DescendantsAndSelf())
            {
                AddSymbol(operation.Type);
                switch (operation)
                {
                    case IInvocationOperation invocation: AddSymbol(invocation.TargetMethod); break;
                    case IMemberReferenceOperation member: AddSymbol(member.Member); break;
                    case IObjectCreationOperation creation: AddSymbol(creation.Constructor); break;
                    case ILocalReferenceOperation local: AddSymbol(local.Local.Type); break;
                    case IVariableDeclaratorOperation declarator: AddSymbol(declarator.Symbol.Type); break;
                    case IBinaryOperation binary: AddSymbol(binary.OperatorMethod); break;
                    case IUnaryOperation unary: AddSymbol(unary.OperatorMethod); break;
                    case IConversionOperation conversion: AddSymbol(conversion.OperatorMethod); break;
                }
            }
        }

        private void AddSymbol(ISymbol? symbol)
        {
            if (symbol is null || !seen.Add(symbol)) return;
            foreach (var reference in symbol.DeclaringSyntaxReferences) trees.Add(reference.SyntaxTree);
            AddSymbol(symbol.ContainingType);
            switch (symbol)
            {
                case IMethodSymbol method:
                    if (!SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, method)) AddSymbol(method.OriginalDefinition);
                    AddSymbol(method.ReturnType);
                    foreach (var parameter in method.Parameters) AddSymbol(parameter.Type);
                    foreach (var argument in method.TypeArguments) AddSymbol(argument);
                    break;
                case IFieldSymbol field: AddSymbol(field.Type); break;
                case IPropertySymbol property: AddSymbol(property.Type); break;
                case IArrayTypeSymbol array: AddSymbol(array.ElementType); break;
                case IPointerTypeSymbol pointer: AddSymbol(pointer.PointedAtType); break;
                case INamedTypeSymbol type:
                    if (!SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, type)) AddSymbol(type.OriginalDefinition);
                    AddSymbol(type.BaseType);
                    foreach (var argument in type.TypeArguments) AddSymbol(argument);
                    // A struct's layout comes from its fields, wherever their types are declared.
                    if (type.TypeKind == TypeKind.Struct && type.DeclaringSyntaxReferences.Length > 0)
                        foreach (var field in type.GetMembers().OfType<IFieldSymbol>()) AddSymbol(field.Type);
                    break;
            }
        }
    }
}
