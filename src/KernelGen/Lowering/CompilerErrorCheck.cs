using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using KernelGen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace KernelGen.Lowering
{
    /// <summary>
    /// Whether a kernel's C# has errors of its own, which are the compiler's to report: KernelGen then adds nothing.
    /// Asking Roslyn for a method's diagnostics binds it a second time (about 60 % of the generator's time on a
    /// clean kernel), so the clean path never does: syntax errors are flags on the tree, and semantic errors show up
    /// while lowering as invalid operations and error types (<see cref="BodyLowerer.HasCompilerErrors"/>).
    /// <see cref="SemanticModel.GetDiagnostics"/> runs only when KernelGen is about to report something, to hide
    /// that report behind the compiler's errors, as before.
    /// </summary>
    internal sealed class CompilerErrorCheck
    {
        private readonly Compilation compilation;
        private bool? hasErrors;

        public CompilerErrorCheck(GeneratorAttributeSyntaxContext context, MethodDeclarationSyntax syntax)
        {
            compilation = context.SemanticModel.Compilation;
            Syntax = syntax;
        }

        /// <summary>The declaration with the body (the implementation part of a partial method).</summary>
        public MethodDeclarationSyntax Syntax { get; private set; }

        /// <summary>How many diagnostics were reported before lowering began; -1 while it has not begun.</summary>
        public int FirstLoweringDiagnostic { get; set; } = -1;

        /// <summary>A syntax error in the method or in the header of a class around it (free: the tree has flags).</summary>
        public bool SyntaxHasErrors(MethodDeclarationSyntax syntax)
        {
            Syntax = syntax;
            if (syntax.ContainsDiagnostics && syntax.GetDiagnostics().Any(IsError)) return true;
            foreach (var declaration in syntax.Ancestors().OfType<TypeDeclarationSyntax>())
            {
                if (!declaration.ContainsDiagnostics) continue;
                var header = Header(declaration);
                if (declaration.GetDiagnostics().Any(d => IsError(d) && d.Location.SourceSpan.Start <= header.End)) return true;
            }
            return false;
        }

        /// <summary>
        /// Drops what lowering reported when the compiler reports errors in the kernel: a "not supported" about code
        /// that does not compile would bury the real error. Diagnostics about the signature and container stay, as before.
        /// </summary>
        public void HideIfCompilerErrors(List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            if (FirstLoweringDiagnostic < 0 || diagnostics.Count <= FirstLoweringDiagnostic) return;
            if (KernelHasCompilerErrors(cancellationToken))
                diagnostics.RemoveRange(FirstLoweringDiagnostic, diagnostics.Count - FirstLoweringDiagnostic);
        }

        /// <summary>Errors in the kernel's span or in the headers of the classes around it.</summary>
        public bool KernelHasCompilerErrors(CancellationToken cancellationToken)
        {
            if (hasErrors is { } known) return known;
            bool errors = HeadersHaveCompilerErrors(cancellationToken) ||
                compilation.GetSemanticModel(Syntax.SyntaxTree).GetDiagnostics(Syntax.Span, cancellationToken).Any(IsError);
            hasErrors = errors;
            return errors;
        }

        /// <summary>
        /// Errors in the headers of the classes around the kernel (e.g. "private class" at namespace level, where a
        /// generated part would not compile). Asked once per class and compilation, not once per kernel.
        /// </summary>
        public bool HeadersHaveCompilerErrors(CancellationToken cancellationToken)
        {
            var known = HeaderErrors.GetValue(compilation, _ => new ConcurrentDictionary<TypeDeclarationSyntax, bool>());
            foreach (var declaration in Syntax.Ancestors().OfType<TypeDeclarationSyntax>())
            {
                if (!known.TryGetValue(declaration, out bool errors))
                {
                    errors = compilation.GetSemanticModel(declaration.SyntaxTree).GetDiagnostics(Header(declaration), cancellationToken).Any(IsError);
                    known[declaration] = errors;
                }
                if (errors) return true;
            }
            return false;
        }

        private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<TypeDeclarationSyntax, bool>> HeaderErrors =
            new ConditionalWeakTable<Compilation, ConcurrentDictionary<TypeDeclarationSyntax, bool>>();

        private static TextSpan Header(TypeDeclarationSyntax declaration) =>
            TextSpan.FromBounds(declaration.SpanStart, declaration.OpenBraceToken.Span.End);

        private static bool IsError(Diagnostic diagnostic) => diagnostic.Severity == DiagnosticSeverity.Error;
    }
}
