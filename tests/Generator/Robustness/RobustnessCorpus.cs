namespace KernelGen.Generator.Tests.Robustness;

/// <summary>
/// The robustness corpus: every input, run through <see cref="GeneratorCheck"/> once per test process (in
/// parallel) and shared by the tests that assert on it. <see cref="GeneratedShaders"/> gives the WGSL all of them
/// produced, so a test with a WGSL compiler (Dawn) can check that every shader the generator emits is valid.
/// </summary>
public static class RobustnessCorpus
{
    public const string ElementwiseSource = "samples/KernelGen.Samples/ElementwiseKernels.cs";

    // Fixed: the corpus, and so any failure, is the same on every run and machine. The counts keep the whole
    // corpus at about 30 s of CPU (about 15 s on two cores).
    private const int MutantSeed = 20_260_101;
    private const int MutantsPerKernel = 60;
    private const int WholeFileMutants = 60;
    private const int TruncationStep = 7;

    // Mutants that hit a reported generator bug, left out until it is fixed so the suite stays green (none now).
    private static readonly HashSet<string> KnownBugs = new();

    internal enum Part
    {
        Constructs,
        Declarations,
        Truncations,
        Mutants,
    }

    private static readonly Lazy<IReadOnlyDictionary<Part, IReadOnlyList<CorpusOutcome>>> Outcomes = new(Run);

    internal static IReadOnlyList<CorpusOutcome> OutcomesOf(Part part) => Outcomes.Value[part];

    internal static IEnumerable<CorpusOutcome> AllOutcomes => Outcomes.Value.Values.SelectMany(o => o);

    /// <summary>Every WGSL module the generator emitted for the corpus, with the input and kernel it came from.</summary>
    public static IReadOnlyList<GeneratedShader> GeneratedShaders() => AllOutcomes.SelectMany(o => o.Shaders).ToList();

    internal static IEnumerable<CorpusInput> Inputs(Part part)
    {
        switch (part)
        {
            case Part.Constructs:
                return UnsupportedConstructs.All();
            case Part.Declarations:
                return Declarations.All();
            case Part.Truncations:
                // Each kernel alone in the file, cut at every 7th character of the kernel (the first also through
                // the usings and class header before it): every cut leaves the kernel half-typed.
                return KernelMutator.SplitKernels(Elementwise.Value).SelectMany((k, index) =>
                    KernelMutator.Truncations(k.Name + " alone", k.Source, TruncationStep, from: index == 0 ? 0 : k.KernelStart));
            default:
                // The file as it is (the baseline every mutant departs from), mutants of each kernel alone, and
                // mutants of the whole file (where kernels can clash with each other).
                return new[] { new CorpusInput("ElementwiseKernels.cs as is", Elementwise.Value) }
                    .Concat(KernelMutator.SplitKernels(Elementwise.Value).SelectMany((k, index) =>
                        KernelMutator.Mutants(k.Name + " alone", k.Source, MutantsPerKernel, MutantSeed + 1000 * (index + 1))))
                    .Concat(KernelMutator.Mutants("ElementwiseKernels.cs", Elementwise.Value, WholeFileMutants, MutantSeed))
                    .Where(m => !KnownBugs.Any(bug => m.Name.StartsWith(bug + " ", StringComparison.Ordinal)));
        }
    }

    /// <summary>How many kernels the unmutated source holds.</summary>
    internal static int ElementwiseKernelCount => KernelMutator.SplitKernels(Elementwise.Value).Count;

    private static readonly Lazy<string> Elementwise = new(() =>
        GeneratorHarness.RepositoryFile(ElementwiseSource).ReplaceLineEndings("\n"));

    private static IReadOnlyDictionary<Part, IReadOnlyList<CorpusOutcome>> Run()
    {
        var inputs = Enum.GetValues<Part>().SelectMany(part => Inputs(part).Select(input => (part, input))).ToList();
        var outcomes = inputs.AsParallel().AsOrdered().Select(x => (x.part, Outcome: GeneratorCheck.Run(x.input))).ToList();
        return outcomes.GroupBy(o => o.part).ToDictionary(g => g.Key, g => (IReadOnlyList<CorpusOutcome>)g.Select(o => o.Outcome).ToList());
    }
}
