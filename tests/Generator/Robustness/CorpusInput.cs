namespace KernelGen.Generator.Tests.Robustness;

/// <summary>What the generator must do with an input besides never breaking.</summary>
internal enum Verdict
{
    /// <summary>Translate it or explain why not: any outcome is fine as long as the invariants hold.</summary>
    Either,

    /// <summary>The kernel <c>K</c> must get no WGSL: it cannot mean on the GPU what it means in C#.</summary>
    Rejected,
}

/// <summary>One C# source file the generator is run over, with a name that says how it was made.</summary>
internal sealed record CorpusInput(string Name, string Source, Verdict Verdict = Verdict.Either)
{
    public override string ToString() => Name;
}

/// <summary>A WGSL module the generator produced for a corpus input, for checks by a real WGSL compiler.</summary>
public sealed record GeneratedShader(string Input, string Kernel, string Wgsl)
{
    public override string ToString() => Input + " / " + Kernel;
}
