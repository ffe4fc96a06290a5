using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Generator.Tests.Robustness;

/// <summary>
/// Makes broken and odd variants of valid kernel source, the way an editor sees code while it is being typed:
/// prefixes (code cut off anywhere) and token-level mutants (a token deleted, doubled, swapped with a neighbour,
/// an identifier, literal, operator or keyword replaced). Deterministic: mutant k is made by
/// <c>new Random(seed + k)</c> alone, so a failing mutant is reproduced from its number.
/// </summary>
internal static class KernelMutator
{
    /// <summary>
    /// One source per [ComputeKernel] method: the file with every other kernel removed, and where the kernel starts.
    /// A mutant or a cut of such a file breaks the one kernel it holds instead of re-checking three intact ones.
    /// </summary>
    public static IReadOnlyList<(string Name, string Source, int KernelStart)> SplitKernels(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetRoot();
        var kernels = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
            .Where(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString().StartsWith("ComputeKernel", StringComparison.Ordinal)))
            .ToList();
        return kernels.Select(kernel =>
        {
            var alone = root.RemoveNodes(kernels.Where(k => k != kernel), SyntaxRemoveOptions.KeepNoTrivia)!;
            var start = alone.DescendantNodes().OfType<MethodDeclarationSyntax>().Single().FullSpan.Start;
            return (kernel.Identifier.Text, alone.ToFullString(), start);
        }).ToList();
    }

    /// <summary>The source cut off after every <paramref name="step"/>-th character from <paramref name="from"/> on.</summary>
    public static IEnumerable<CorpusInput> Truncations(string name, string source, int step, int from = 0)
    {
        for (int length = from; length < source.Length; length += step)
            yield return new CorpusInput($"{name} cut at {length} ({Position(source, length)})", source[..length]);
    }

    public static IEnumerable<CorpusInput> Mutants(string name, string source, int count, int seed)
    {
        var seen = new HashSet<string> { source };
        for (int k = 0; k < count; k++)
        {
            var random = new Random(seed + k);
            var text = source;
            var steps = new List<string>();
            int mutations = 1 + random.Next(3); // 1 to 3 edits
            for (int m = 0; m < mutations; m++)
            {
                var (mutated, description) = Mutate(text, random);
                text = mutated;
                steps.Add(description);
            }
            if (seen.Add(text)) yield return new CorpusInput($"{name} mutant {k} (seed {seed + k}): {string.Join("; ", steps)}", text);
        }
    }

    private static readonly string[] Literals =
    {
        "0", "1", "-1", "0u", "4294967295u", "2147483647", "-2147483648", "0x80000000", "1L", "1UL", "0.5", "0.5f", "-0f",
        "1e38f", "3.4028235e38f", "1e-45f", "float.NaN", "float.PositiveInfinity", "float.Epsilon", "int.MinValue", "33",
        "'a'", "\"s\"", "true", "false", "null", "default", "1m", "(short)1", "(byte)255", "n",
    };

    private static readonly string[] Operators =
    {
        "+", "-", "*", "/", "%", "<<", ">>", ">>>", "&", "|", "^", "&&", "||", "==", "!=", "<", ">", "<=", ">=", "!", "~",
        "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "++", "--", "??", "?", ":", "=>", ".", ",", ";",
    };

    // Keywords are replaced by keywords of the same family, which keeps more mutants parseable.
    private static readonly string[][] KeywordFamilies =
    {
        new[] { "float", "int", "uint", "bool", "double", "long", "ulong", "short", "byte", "char", "object", "string", "decimal", "var", "nint", "dynamic" },
        new[] { "if", "while", "for", "foreach", "switch", "lock", "using", "fixed", "checked", "unchecked" },
        new[] { "public", "private", "internal", "protected", "static", "partial", "readonly", "unsafe", "async", "extern", "abstract", "virtual", "new", "ref", "in", "out", "params", "this" },
        new[] { "return", "break", "continue", "throw", "yield", "goto", "else", "default" },
        new[] { "class", "struct", "record", "interface", "enum", "namespace", "delegate" },
    };

    private static readonly string[] ExtraIdentifiers =
    {
        "GlobalId", "LocalId", "WorkgroupId", "NumWorkgroups", "LocalIndex", "Kernel", "MathF", "Math", "Length", "X", "Y",
        "Z", "ReadOnlyBuffer", "ReadWriteBuffer", "UInt3", "ComputeKernel", "main", "params", "array", "f32", "_", "__x",
        "Console", "Saxpy", "Relu",
    };

    private static (string Text, string Description) Mutate(string source, Random random)
    {
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens()
            .Where(t => t.Span.Length > 0).ToList();
        if (tokens.Count == 0) return (source, "nothing to mutate");
        var token = tokens[random.Next(tokens.Count)];
        var at = $"'{token.Text}' at {Position(source, token.SpanStart)}";

        switch (random.Next(7))
        {
            case 0:
                return (Replace(source, token, ""), "delete " + at);
            case 1:
                return (Replace(source, token, token.Text + " " + token.Text), "duplicate " + at);
            case 2:
            {
                // A neighbour within a few tokens: far-apart swaps only ever make parse errors.
                int index = tokens.IndexOf(token);
                int other = Math.Clamp(index + random.Next(-5, 6), 0, tokens.Count - 1);
                if (other == index) return (Replace(source, token, ""), "delete " + at);
                var (first, second) = index < other ? (token, tokens[other]) : (tokens[other], token);
                var swapped = source[..first.SpanStart] + second.Text + source[first.Span.End..second.SpanStart] + first.Text +
                              source[second.Span.End..];
                return (swapped, $"swap '{first.Text}' and '{second.Text}' at {Position(source, first.SpanStart)}");
            }
            case 3:
            {
                var identifiers = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.Text)
                    .Concat(ExtraIdentifiers).Distinct().ToList();
                var replacement = identifiers[random.Next(identifiers.Count)];
                var target = PickOrSelf(tokens, t => t.IsKind(SyntaxKind.IdentifierToken), random, token);
                return (Replace(source, target, replacement), $"identifier '{target.Text}' at {Position(source, target.SpanStart)} -> '{replacement}'");
            }
            case 4:
            {
                var target = PickOrSelf(tokens, t => t.IsKind(SyntaxKind.NumericLiteralToken) || t.IsKind(SyntaxKind.TrueKeyword) ||
                                                      t.IsKind(SyntaxKind.FalseKeyword), random, token);
                var replacement = Literals[random.Next(Literals.Length)];
                return (Replace(source, target, replacement), $"literal '{target.Text}' at {Position(source, target.SpanStart)} -> {replacement}");
            }
            case 5:
            {
                var target = PickOrSelf(tokens, t => SyntaxFacts.IsPunctuation(t.Kind()) && t.Text != "{" && t.Text != "}", random, token);
                var replacement = Operators[random.Next(Operators.Length)];
                return (Replace(source, target, replacement), $"operator '{target.Text}' at {Position(source, target.SpanStart)} -> '{replacement}'");
            }
            default:
            {
                var target = PickOrSelf(tokens, t => KeywordFamilies.Any(f => f.Contains(t.Text)), random, token);
                var family = KeywordFamilies.FirstOrDefault(f => f.Contains(target.Text)) ?? KeywordFamilies[0];
                var replacement = family[random.Next(family.Length)];
                return (Replace(source, target, replacement), $"keyword '{target.Text}' at {Position(source, target.SpanStart)} -> '{replacement}'");
            }
        }
    }

    private static SyntaxToken PickOrSelf(List<SyntaxToken> tokens, Func<SyntaxToken, bool> kind, Random random, SyntaxToken fallback)
    {
        var candidates = tokens.Where(kind).ToList();
        return candidates.Count == 0 ? fallback : candidates[random.Next(candidates.Count)];
    }

    private static string Replace(string source, SyntaxToken token, string text) =>
        source[..token.SpanStart] + text + source[token.Span.End..];

    /// <summary>"line L, column C" of a character offset, 1-based, for failure messages.</summary>
    private static string Position(string source, int offset)
    {
        int line = 1, column = 1;
        for (int i = 0; i < offset && i < source.Length; i++)
        {
            if (source[i] == '\n') { line++; column = 1; }
            else column++;
        }
        return $"line {line}, column {column}";
    }
}
