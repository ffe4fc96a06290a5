using System;
using System.Linq;
using KernelGen.Caching;
using KernelGen.Diagnostics;
using KernelGen.Emit;
using KernelGen.Lowering;
using KernelGen.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

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
            var variants = result.Variants;
            if (variants.Count == 0) return;
            var kernel = variants[0];
            try
            {
                var emitted = variants.Select(v => (Variant: v, Module: WgslModuleEmitter.EmitWithSourceLines(v))).ToList();
                // One file per kernel (WGSL, Info and stub): a syntax tree fewer per kernel for the compiler.
                var file = StubEmitter.EmitKernel(emitted.Select(e => (e.Variant, e.Module.SourceLines, e.Module.Wgsl)).ToList());
                output.AddSource(kernel.HintPrefix + KernelFileSuffix, SourceText.From(file, System.Text.Encoding.UTF8));
            }
            catch (Exception e)
            {
                output.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.InternalError, Location.None,
                    kernel.DisplayName, e.GetType().Name + ": " + e.Message));
            }
        }
    }
}
