using System.CommandLine;
using KernelGen.Models.Data;
using KernelGen.Models.Tensors;
using KernelGen.Reports;

namespace KernelGen.Cli.Commands.Figures;

/// <summary>What the <c>figures</c> subcommands share: --out, --backend, --data-dir, the run-folder arguments, and how a figure is announced.</summary>
internal sealed class FigureOptions
{
    public const string DefaultFolder = "docs/figures";

    public Option<string?> Out { get; } = CliOptions.OutFolder($"the folder of the figures, each as .png and .svg (default: {DefaultFolder})");

    public Option<string> Backend { get; } = CliOptions.Backend();

    public Option<string?> DataDirectory { get; } = CliOptions.DataDirectory();

    public string Folder(ParseResult parse) => parse.GetValue(Out) ?? DefaultFolder;

    /// <summary>--image N: a test image by its index (checked against the test set when it is loaded).</summary>
    public static Option<int> Image() => CliOptions.Int("--image", "the test image, by its index in the test set", 0, min: 0);

    /// <summary>A checkpoint argument and the options of a checkpoint figure, added to <paramref name="command"/>.</summary>
    public void AddCheckpointOptions(Command command)
    {
        command.Options.Add(Out);
        command.Options.Add(Backend);
        command.Options.Add(DataDirectory);
    }

    /// <summary>One or more run folders (each must exist), named by their folder names in the figures.</summary>
    public static Argument<string[]> RunFolders()
    {
        var argument = new Argument<string[]>("run folders") { Description = "run folders written by kernelgen train (or compare's per-architecture folders)", Arity = ArgumentArity.OneOrMore, HelpName = "run folder" };
        argument.Validators.Add(r =>
        {
            foreach (var folder in r.GetValueOrDefault<string[]>() ?? [])
                if (!Directory.Exists(folder)) r.AddError($"There is no run folder at '{folder}'.");
        });
        return argument;
    }

    /// <summary>"wrote FOLDER/NAME.png and .svg".</summary>
    public static void Wrote(TextWriter output, FigureFiles files) => output.WriteLine($"wrote {files.Png} and {Path.GetFileName(files.Svg)}");

    /// <summary>The pixels of test image <paramref name="index"/>; an index past the test set is a usage error.</summary>
    public static ReadOnlySpan<float> TestImage(ImageDataSet test, int index, string data) => index < test.Count
        ? test.Image(index)
        : throw new UsageException($"--image {index}: the test set of {data} has {test.Count:N0} images (0 to {test.Count - 1:N0}).");

    /// <summary>Runs <paramref name="forward"/> on one image [1, 1, h, w] (no gradients, inference mode) and reads back what it returns.</summary>
    public static async Task<IReadOnlyList<(float[] Values, int[] Shape)>> ForwardAsync(ComputeDevice device, ImageDataSet test, int index, string data,
        Func<Tensor, IEnumerable<Tensor>> forward, CancellationToken cancellationToken)
    {
        using var pool = new BufferPool(device);
        using var graph = new Graph(pool, recordGradients: false) { Training = false };
        List<Tensor> outputs;
        using (device.BeginBatch())
            outputs = [.. forward(graph.Input(TestImage(test, index, data), new Shape(1, 1, test.Height, test.Width)))];
        var results = new List<(float[], int[])>();
        foreach (var output in outputs) results.Add((await output.ToArrayAsync(cancellationToken), output.Shape.Dims.ToArray()));
        return results;
    }
}
