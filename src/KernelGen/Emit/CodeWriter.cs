using System.Text;

namespace KernelGen.Emit
{
    /// <summary>Builds indented text, one statement per line, LF line endings (generated files are snapshot-tested).</summary>
    internal sealed class CodeWriter
    {
        private readonly StringBuilder text = new StringBuilder();
        private readonly string indentUnit;
        private int depth;

        /// <summary>The 1-based number of the line the next call writes.</summary>
        public int CurrentLine { get; private set; } = 1;

        /// <summary>For WGSL: the C# line of each generated line (0 where none), filled by <see cref="MarkSource"/>.</summary>
        public System.Collections.Generic.List<int> SourceLines { get; } = new System.Collections.Generic.List<int>();

        /// <summary>Notes that the next line written comes from C# line <paramref name="csharpLine"/>.</summary>
        public void MarkSource(int csharpLine)
        {
            while (SourceLines.Count < CurrentLine) SourceLines.Add(0);
            SourceLines[CurrentLine - 1] = csharpLine;
        }

        public CodeWriter(string indentUnit = "    ") => this.indentUnit = indentUnit;

        public CodeWriter Line(string line = "")
        {
            if (line.Length > 0)
                for (int i = 0; i < depth; i++) text.Append(indentUnit);
            text.Append(line).Append('\n');
            CurrentLine++;
            return this;
        }

        /// <summary>Writes <paramref name="header"/> followed by " {" and indents until <see cref="Close"/>.</summary>
        public CodeWriter Open(string header)
        {
            Line(header.Length == 0 ? "{" : header + " {");
            depth++;
            return this;
        }

        /// <summary>C#-style brace on its own line.</summary>
        public CodeWriter OpenBlock(string header)
        {
            Line(header);
            Line("{");
            depth++;
            return this;
        }

        public CodeWriter Close(string suffix = "")
        {
            depth--;
            Line("}" + suffix);
            return this;
        }

        public void Indent() => depth++;

        public void Outdent() => depth--;

        public override string ToString() => text.ToString();
    }
}
