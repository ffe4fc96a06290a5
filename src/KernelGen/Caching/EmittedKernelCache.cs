using System;
using System.Linq;
using System.Runtime.CompilerServices;
using KernelGen.Emit;
using KernelGen.Model;
using Microsoft.CodeAnalysis.Text;

namespace KernelGen.Caching
{
    /// <summary>
    /// The generated file of each analysis result. <see cref="KernelAnalysisCache"/> hands back the very same
    /// <see cref="KernelResult"/> instance for a kernel nothing has changed, so a fresh generator driver (every csc run,
    /// also on the compiler server) finds its text here instead of emitting it again. Keyed by reference, weakly: an
    /// entry lives exactly as long as its result, so this cache never outgrows the analysis cache.
    /// </summary>
    internal static class EmittedKernelCache
    {
        private static readonly ConditionalWeakTable<KernelResult, EmittedKernel> Files = new ConditionalWeakTable<KernelResult, EmittedKernel>();

        /// <summary>Raised with the file's hint prefix each time a kernel's file is really emitted (not found here). For tests.</summary>
        internal static event Action<string>? Emitting;

        /// <summary>The kernel's file, emitted once per result; a failure is kept too, and reported each time.</summary>
        public static EmittedKernel For(KernelResult result) => Files.GetValue(result, Emit);

        private static EmittedKernel Emit(KernelResult result)
        {
            var kernel = result.Variants[0];
            Emitting?.Invoke(kernel.HintPrefix);
            try
            {
                var emitted = result.Variants.Select(v => (Variant: v, Module: WgslModuleEmitter.EmitWithSourceLines(v))).ToList();
                // One file per kernel (WGSL, Info and stub): a syntax tree fewer per kernel for the compiler.
                var file = StubEmitter.EmitKernel(emitted.Select(e => (e.Variant, e.Module.SourceLines, e.Module.Wgsl)).ToList());
                return new EmittedKernel(kernel.HintPrefix + KernelGenerator.KernelFileSuffix,
                    SourceText.From(file, System.Text.Encoding.UTF8), failure: null);
            }
            catch (Exception e)
            {
                return new EmittedKernel(null, null, e.GetType().Name + ": " + e.Message);
            }
        }
    }

    /// <summary>A kernel's generated file (hint name and text), or why emitting it failed.</summary>
    internal sealed class EmittedKernel
    {
        public EmittedKernel(string? hintName, SourceText? text, string? failure)
        {
            HintName = hintName;
            Text = text;
            Failure = failure;
        }

        public string? HintName { get; }

        public SourceText? Text { get; }

        public string? Failure { get; }
    }
}
