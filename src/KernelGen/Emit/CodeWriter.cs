using System.Text;

namespace KernelGen.Emit
{
    /// <summary>Builds indented text, one statement per line, LF line endings (generated files are snapshot-tested).</summary>
    internal sealed class CodeWriter
    {
        private readonly StringBuilder text = new StringBuilder();
        private readonly string indentUnit;
        private int depth;

        public CodeWriter(string indentUnit = "    ") => this.indentUnit = indentUnit;

        public CodeWriter Line(string line = "")
        {
            if (line.Length > 0)
                for (int i = 0; i < depth; i++) text.Append(indentUnit);
            text.Append(line).Append('\n');
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
