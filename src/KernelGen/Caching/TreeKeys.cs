using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace KernelGen.Caching
{
    /// <summary>
    /// Content keys of one syntax tree, computed once per tree. <see cref="Full"/> is the whole text.
    /// <see cref="Skeleton"/> is the text with every method body replaced by its line count, and each method body has
    /// a key of its own: C# binds a method body on its own, so a kernel depends on the skeleton of its files and on
    /// the bodies it lowered (its own and its helpers'), not on the other kernels' bodies. Keeping each body's line
    /// count keeps every line number in the skeleton, which the IR records. Character offsets are not kept, so
    /// results with diagnostics (whose spans are offsets) depend on <see cref="Full"/> instead.
    /// </summary>
    internal sealed class TreeKeys
    {
        private static readonly ConditionalWeakTable<SyntaxTree, TreeKeys> PerTree = new ConditionalWeakTable<SyntaxTree, TreeKeys>();

        private readonly Dictionary<SyntaxNode, string> bodyKeys = new Dictionary<SyntaxNode, string>();
        private readonly Dictionary<MethodDeclarationSyntax, int> methodOrdinals = new Dictionary<MethodDeclarationSyntax, int>();

        private TreeKeys(SyntaxTree tree)
        {
            var text = tree.GetText();
            var path = tree.FilePath;
            Full = "F|" + path + "|" + Hex(text.GetChecksum());

            var methods = tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
                .OfType<MethodDeclarationSyntax>().ToList();
            using var skeleton = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            int position = 0;
            for (int i = 0; i < methods.Count; i++)
            {
                methodOrdinals[methods[i]] = i;
                SyntaxNode? body = (SyntaxNode?)methods[i].Body ?? methods[i].ExpressionBody;
                // A body with #if/#region stays in the skeleton: directives can reach beyond it.
                if (body is null || body.ContainsDirectives) continue;
                Append(skeleton, text.ToString(TextSpan.FromBounds(position, body.SpanStart)));
                var lines = text.Lines.IndexOf(body.Span.End) - text.Lines.IndexOf(body.SpanStart);
                Append(skeleton, "\u0001" + lines + "\u0001");
                position = body.Span.End;
                bodyKeys[body] = "B|" + path + "|" + i + "|" + Hash(text.ToString(body.Span));
            }
            Append(skeleton, text.ToString(TextSpan.FromBounds(position, text.Length)));
            Skeleton = "S|" + path + "|" + Hex(skeleton.GetHashAndReset());
        }

        public static TreeKeys Of(SyntaxTree tree) => PerTree.GetValue(tree, t => new TreeKeys(t));

        public string Full { get; }

        public string Skeleton { get; }

        public IEnumerable<string> BodyKeys => bodyKeys.Values;

        /// <summary>The key of a method body, or null when it is part of the skeleton.</summary>
        public string? BodyKey(SyntaxNode body) => bodyKeys.TryGetValue(body, out var key) ? key : null;

        /// <summary>Which method declaration of the file this is (0, 1, ...): tells apart kernels with the same id.</summary>
        public int OrdinalOf(MethodDeclarationSyntax method) => methodOrdinals.TryGetValue(method, out var i) ? i : -1;

        private static void Append(IncrementalHash hash, string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));

        private static string Hash(string text)
        {
            using var sha = SHA256.Create();
            return Hex(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
        }

        private static string Hex(IEnumerable<byte> bytes)
        {
            var text = new StringBuilder(64);
            foreach (var b in bytes) text.Append(b.ToString("x2"));
            return text.ToString();
        }
    }
}
