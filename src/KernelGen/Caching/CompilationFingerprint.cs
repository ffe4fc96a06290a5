using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Caching
{
    /// <summary>
    /// What one compilation looks like to the kernel cache, computed once per compilation (the driver hands every
    /// kernel the same one): a content key for each syntax tree, and one <see cref="Global"/> text for everything
    /// that can change how any kernel binds without changing a file the kernel's analysis touched.
    /// </summary>
    internal sealed class CompilationFingerprint
    {
        private static readonly ConditionalWeakTable<Compilation, CompilationFingerprint> PerCompilation =
            new ConditionalWeakTable<Compilation, CompilationFingerprint>();

        // A metadata reference object stands for fixed content (the IDE and the compiler server reuse them across
        // compilations), so its text is worked out once.
        private static readonly ConditionalWeakTable<MetadataReference, StrongBox<string>> ReferenceTexts =
            new ConditionalWeakTable<MetadataReference, StrongBox<string>>();

        private static readonly ConditionalWeakTable<Compilation, object> CompilationIds = new ConditionalWeakTable<Compilation, object>();
        private static long lastCompilationId;

        private readonly HashSet<string> allKeys = new HashSet<string>(StringComparer.Ordinal);

        private CompilationFingerprint(Compilation compilation)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                var keys = TreeKeys.Of(tree);
                allKeys.Add(keys.Full);
                allKeys.Add(keys.Skeleton);
                foreach (var body in keys.BodyKeys) allKeys.Add(body);
            }
            // Kept as a digest: cache entries made in different runs would otherwise each hold their own copy.
            using var sha = SHA256.Create();
            Global = string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(GlobalText(compilation))).Select(b => b.ToString("x2")));
        }

        public static CompilationFingerprint Of(Compilation compilation) =>
            PerCompilation.GetValue(compilation, c => new CompilationFingerprint(c));

        /// <summary>
        /// A digest of: compilation and parse options, the referenced assemblies, the names of all source types and namespaces,
        /// global usings, and the files of classes that may declare extension methods.
        /// </summary>
        public string Global { get; }

        /// <summary>Whether this compilation has a tree, skeleton or method body with this content key (<see cref="TreeKeys"/>).</summary>
        public bool Contains(string key) => allKeys.Contains(key);

        private static string GlobalText(Compilation compilation)
        {
            var text = new StringBuilder();
            // Options that change binding or which diagnostics are errors (these hide KernelGen's own reports).
            var options = compilation.Options;
            text.Append("options:").Append(compilation.Language).Append(',').Append(options.OutputKind).Append(',')
                .Append(options.CheckOverflow).Append(',').Append(options.NullableContextOptions).Append(',')
                .Append(options.GeneralDiagnosticOption).Append(',').Append(options.WarningLevel).Append(',')
                .Append(options.MetadataImportOptions).Append(',').Append(compilation.AssemblyName).Append('\n');
            if (options is CSharpCompilationOptions csharp) text.Append("unsafe:").Append(csharp.AllowUnsafe).Append('\n');
            foreach (var pair in options.SpecificDiagnosticOptions.OrderBy(p => p.Key, StringComparer.Ordinal))
                text.Append("diagnostic:").Append(pair.Key).Append('=').Append(pair.Value).Append('\n');

            // Parse options: the same text parses differently under other preprocessor symbols or language version.
            foreach (var parse in compilation.SyntaxTrees.Select(t => t.Options).Distinct().Select(ParseOptionsText).Distinct().OrderBy(s => s, StringComparer.Ordinal))
                text.Append("parse:").Append(parse).Append('\n');

            // Referenced assemblies by identity and module version id: any rebuilt reference counts as a change.
            // All of them, not only KernelGen.Runtime: a kernel binds to System's types too, and this costs a few
            // microseconds per reference once per compilation.
            foreach (var reference in compilation.References)
                text.Append("reference:").Append(ReferenceTexts.GetValue(reference, r => new StrongBox<string>(ReferenceText(compilation, r))).Value).Append('\n');

            // Every source type by qualified name, and every namespace: a new type can capture a name a kernel uses.
            // Files of classes that may hold extension methods: one added there can change what "x.M()" binds to.
            var names = new List<string>();
            var extensionFiles = new SortedSet<string>(StringComparer.Ordinal);
            CollectNames(compilation.Assembly.GlobalNamespace, names, extensionFiles);
            names.Sort(StringComparer.Ordinal);
            foreach (var name in names) text.Append(name).Append('\n');
            foreach (var file in extensionFiles) text.Append("extensions:").Append(file).Append('\n');

            // Global usings hold for every file.
            foreach (var tree in compilation.SyntaxTrees)
                if (tree.GetRoot() is CompilationUnitSyntax unit)
                    foreach (var directive in unit.Usings)
                        if (directive.GlobalKeyword != default) text.Append(directive.ToString()).Append('\n');
            return text.ToString();
        }

        private static void CollectNames(INamespaceOrTypeSymbol container, List<string> names, SortedSet<string> extensionFiles)
        {
            // Types and namespaces only: asking for all members would build every method's symbol.
            if (container is INamespaceSymbol outer)
                foreach (var ns in outer.GetNamespaceMembers())
                {
                    names.Add("namespace:" + QualifiedName(ns));
                    CollectNames(ns, names, extensionFiles);
                }
            foreach (var type in container.GetTypeMembers())
            {
                names.Add("type:" + QualifiedName(type) + "`" + type.Arity + ":" + type.TypeKind);
                if (type.MightContainExtensionMethods)
                    foreach (var reference in type.DeclaringSyntaxReferences) extensionFiles.Add(TreeKeys.Of(reference.SyntaxTree).Full);
                CollectNames(type, names, extensionFiles);
            }
        }

        private static string QualifiedName(ISymbol symbol)
        {
            var parts = new List<string>();
            for (var s = symbol; s is not null && s is not INamespaceSymbol { IsGlobalNamespace: true }; s = s.ContainingSymbol)
                parts.Add(s.MetadataName);
            parts.Reverse();
            return string.Join(".", parts);
        }

        private static string ParseOptionsText(ParseOptions options)
        {
            var text = new StringBuilder().Append(options.Kind).Append(',').Append(options.DocumentationMode);
            if (options is CSharpParseOptions csharp) text.Append(',').Append(csharp.LanguageVersion);
            foreach (var symbol in options.PreprocessorSymbolNames.OrderBy(s => s, StringComparer.Ordinal)) text.Append(",#").Append(symbol);
            foreach (var feature in options.Features.OrderBy(f => f.Key, StringComparer.Ordinal)) text.Append(",f:").Append(feature.Key).Append('=').Append(feature.Value);
            return text.ToString();
        }

        private static string ReferenceText(Compilation compilation, MetadataReference reference)
        {
            // A reference to another project's compilation (in an IDE): that compilation object stands for its content.
            if (reference is CompilationReference project)
                return "project#" + CompilationIds.GetValue(project.Compilation, _ => Interlocked.Increment(ref lastCompilationId));
            var symbol = compilation.GetAssemblyOrModuleSymbol(reference);
            var module = symbol switch
            {
                IAssemblySymbol assembly => assembly.Modules.FirstOrDefault(),
                IModuleSymbol m => m,
                _ => null,
            };
            var mvid = module?.GetMetadata()?.GetModuleVersionId().ToString() ?? "?";
            return reference.Display + " " + (symbol as IAssemblySymbol)?.Identity.GetDisplayName() + " " + mvid + " " +
                string.Join(",", reference.Properties.Aliases);
        }
    }
}
