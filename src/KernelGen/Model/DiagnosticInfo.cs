using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace KernelGen.Model
{
    /// <summary>
    /// A diagnostic as plain data. Roslyn's <see cref="Diagnostic"/> and <see cref="Location"/> hold syntax trees,
    /// which would pin compilations in the incremental cache and break its equality checks.
    /// </summary>
    internal sealed record DiagnosticInfo(
        DiagnosticDescriptor Descriptor,
        string FilePath,
        TextSpan Span,
        LinePositionSpan LineSpan,
        EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
        {
            var tree = location?.SourceTree;
            var line = location?.GetLineSpan().Span ?? default;
            return new DiagnosticInfo(descriptor, tree?.FilePath ?? "", location?.SourceSpan ?? default, line,
                arguments.ToEquatableArray());
        }

        public Diagnostic ToDiagnostic()
        {
            var location = FilePath.Length == 0 && Span.IsEmpty ? Location.None : Location.Create(FilePath, Span, LineSpan);
            var args = new object[Arguments.Count];
            for (int i = 0; i < args.Length; i++) args[i] = Arguments[i];
            return Diagnostic.Create(Descriptor, location, args);
        }
    }
}
