using KernelGen.Caching;
using KernelGen.Diagnostics;
using KernelGen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen
{
    /// <summary>
    /// The KernelGen source generator: find [ComputeKernel] methods, lower each to a typed IR, check it, and emit a
    /// WGSL module and a typed dispatch stub per kernel, in one file. Each kernel flows through the pipeline on its own, so an
    /// edit to one kernel re-emits only that kernel and an unrelated edit re-emits nothing.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class KernelGenerator : IIncrementalGenerator
    {
        public const string AttributeName = "KernelGen.ComputeKernelAttribute";

        /// <summary>Step names for incrementality tests.</summary>
        public const string KernelsStep = "Kernels";

        /// <summary>The hint name of a kernel's generated file ends with this.</summary>
        public const string KernelFileSuffix = ".kernel.g.cs";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var kernels = context.SyntaxProvider
                .ForAttributeWithMetadataName(AttributeName,
                    static (node, _) => node is MethodDeclarationSyntax,
                    static (ctx, ct) => KernelAnalysisCache.Analyze(ctx, ct))
                .WithTrackingName(KernelsStep);

            context.RegisterSourceOutput(kernels, static (output, result) => Emit(output, result));
        }

        private static void Emit(SourceProductionContext output, KernelResult result)
        {
            foreach (var diagnostic in result.Diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (result.Variants.Count == 0) return;
            var file = EmittedKernelCache.For(result);
            if (file.Failure != null)
            {
                output.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.InternalError, Location.None,
                    result.Variants[0].DisplayName, file.Failure));
                return;
            }
            output.AddSource(file.HintName!, file.Text!);
        }
    }
}
