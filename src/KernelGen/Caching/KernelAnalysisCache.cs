using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using KernelGen.Lowering;
using KernelGen.Model;
using Microsoft.CodeAnalysis;

namespace KernelGen.Caching
{
    /// <summary>
    /// Keeps each kernel's analysis across generator runs, so an edit re-analyses only the kernels it can affect.
    /// The driver cannot do this itself: a transform that takes the semantic model runs again for every kernel on
    /// any change to the compilation, and analysing a kernel means binding it (about 1-3 ms each).
    /// <para>
    /// Roslyn's guidance is to keep no state in a generator; this cache is a deliberate, bounded exception. It is
    /// keyed by content only (file paths and checksums, options, assembly version ids: never a syntax tree or a
    /// compilation), so a hit is exactly what a fresh analysis would give, and dropping it at any time costs only
    /// time. It is static so that it also lives on in the compiler server between command-line builds, where
    /// every build brings a new driver and new syntax trees.
    /// </para>
    /// </summary>
    internal sealed class KernelAnalysisCache
    {
        /// <summary>Enough for several big projects in one compiler server; an entry is a few KB.</summary>
        public const int DefaultCapacity = 4096;

        public static readonly KernelAnalysisCache Shared = new KernelAnalysisCache(DefaultCapacity);

        private readonly ConcurrentDictionary<string, Entry> entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        private readonly object trimLock = new object();
        private long clock;

        public KernelAnalysisCache(int capacity) => Capacity = Math.Max(1, capacity);

        public int Capacity { get; }

        public int Count => entries.Count;

        /// <summary>Raised with the kernel's documentation id each time a kernel is really analysed (not served from the cache). For tests.</summary>
        internal static event Action<string>? Analysed;

        public static KernelResult Analyze(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            Shared.GetOrAnalyze(context, cancellationToken);

        public KernelResult GetOrAnalyze(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol method) return KernelAnalyzer.Analyze(context, cancellationToken);
            var fingerprint = CompilationFingerprint.Of(context.SemanticModel.Compilation);
            // Which method of which file, by content: its file's skeleton, its place there, and its own body. (Cheaper
            // than the symbol's documentation id, and two kernels can only share a key by being the same text.)
            var tree = TreeKeys.Of(context.TargetNode.SyntaxTree);
            if (context.TargetNode is not Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax declaration)
                return KernelAnalyzer.Analyze(context, cancellationToken);
            var body = (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody;
            var key = tree.Skeleton + "#" + tree.OrdinalOf(declaration) + "#" + (body is null ? "" : tree.BodyKey(body) ?? tree.Full);

            if (entries.TryGetValue(key, out var entry) && entry.IsValidFor(fingerprint))
            {
                entry.LastUse = Interlocked.Increment(ref clock);
                return entry.Result;
            }

            var dependencies = new KernelDependencies();
            var result = KernelAnalyzer.Analyze(context, dependencies, cancellationToken);
            Analysed?.Invoke(method.GetDocumentationCommentId() ?? method.Name);
            if (dependencies.Abandoned) return result;
            dependencies.AddUsingStaticTargets(cancellationToken);
            Store(key, new Entry(result, fingerprint.Global, dependencies.Keys(withDiagnostics: result.Diagnostics.Count > 0)) { LastUse = Interlocked.Increment(ref clock) });
            return result;
        }

        /// <summary>Drops every entry, as a new compiler process starts (for benchmarks).</summary>
        internal void Clear() => entries.Clear();

        /// <summary>Whether a kernel with this key is held (for tests of the bound).</summary>
        internal bool ContainsKey(string key) => entries.ContainsKey(key);

        internal void Store(string key, Entry entry)
        {
            entries[key] = entry;
            if (entries.Count > Capacity) Trim();
        }

        /// <summary>Drops the least recently used quarter, so trimming is rare and never leaves the cache over its bound.</summary>
        private void Trim()
        {
            lock (trimLock)
            {
                int excess = entries.Count - Capacity * 3 / 4;
                if (entries.Count <= Capacity || excess <= 0) return;
                foreach (var old in entries.ToArray().OrderBy(e => e.Value.LastUse).Take(excess))
                    entries.TryRemove(old.Key, out _);
            }
        }

        internal sealed class Entry
        {
            public Entry(KernelResult result, string global, string[] treeKeys)
            {
                Result = result;
                Global = global;
                TreeKeys = treeKeys;
            }

            public KernelResult Result { get; }

            /// <summary><see cref="CompilationFingerprint.Global"/> of the compilation the result was made from.</summary>
            public string Global { get; }

            /// <summary>The content keys of the files, skeletons and method bodies the analysis used (<see cref="TreeKeys"/>).</summary>
            public string[] TreeKeys { get; }

            public long LastUse { get; set; }

            public bool IsValidFor(CompilationFingerprint fingerprint)
            {
                if (!ReferenceEquals(Global, fingerprint.Global) && !string.Equals(Global, fingerprint.Global, StringComparison.Ordinal)) return false;
                foreach (var key in TreeKeys)
                    if (!fingerprint.Contains(key)) return false;
                return true;
            }
        }
    }
}
