using System.CommandLine;
using KernelGen.Models.Architectures;
using KernelGen.Models.Training;
using KernelGen.Reports.Figures;

namespace KernelGen.Cli.Commands.Figures;

/// <summary>
/// <c>kernelgen figures nonlocal &lt;checkpoint&gt;</c>: where the non-local block of a cnn-nonlocal or cnn-gap-nonlocal
/// looks, for one test image (28x28, or 28x84 for a digit-pairs checkpoint): the image, the attention of one query
/// position over the (h/4) x (w/4) feature map, and the attention each position receives on average
/// (nonlocal-attention.png/.svg).
/// </summary>
internal static class NonLocalFigures
{
    public static Command Create(CliContext context, FigureOptions options)
    {
        var checkpoint = CliOptions.Checkpoint("a checkpoint of cnn-nonlocal or cnn-gap-nonlocal written by kernelgen train");
        var image = FigureOptions.Image();
        var query = CliOptions.OptionalInt("--query", "the query position, row-major over the feature map (h/4 x w/4; default: its centre)", min: 0);
        var command = new Command("nonlocal", "the non-local block's attention for one query position, over one test image's feature map") { checkpoint, image, query };
        options.AddCheckpointOptions(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(checkpoint)!, folder = options.Folder(parse);
            var metadata = Checkpoint.ReadMetadata(path);
            using var device = DeviceChoice.Open(parse.GetValue(options.Backend)!, context.Error);
            using var vision = CheckpointModels.LoadVision(path, metadata, device, null, parse.GetValue(options.DataDirectory));
            if (vision.Model is not Cnn { NonLocal: not null } cnn)
                throw new FigureException($"{path}: a {vision.Entry.Name} checkpoint; figures nonlocal draws a non-local block's (cnn-nonlocal, cnn-gap-nonlocal).");
            var test = vision.Test;
            int index = parse.GetValue(image), rows = test.Height / 4, columns = test.Width / 4, positions = rows * columns;
            int q = parse.GetValue(query) ?? rows / 2 * columns + columns / 2;
            if (q >= positions) throw new UsageException($"--query {q}: the feature map has {positions} positions ({rows}x{columns}, 0 to {positions - 1}).");
            var weights = (await FigureOptions.ForwardAsync(device, test, index, vision.Data, x => [cnn.NonLocalAttention(x)], cancellationToken))[0].Values;
            var received = new float[positions];
            for (int i = 0; i < positions; i++)
                for (int j = 0; j < positions; j++) received[j] += weights[i * positions + j] / positions;
            var tiles = new[]
            {
                HeatmapTile.FromRowMajor($"image {index} ({test.ClassNames[test.Labels[index]]})", test.Image(index), test.Height, test.Width),
                HeatmapTile.FromRowMajor($"query {q} (row {q / columns}, col {q % columns})", weights.AsSpan(q * positions, positions), rows, columns),
                HeatmapTile.FromRowMajor("mean received", received, rows, columns),
            };
            FigureOptions.Wrote(context.Out, new ImageGrid
            {
                Title = $"{vision.Entry.Name}: non-local attention", Tiles = tiles, Columns = 3, Scale = ColorScale.Viridis,
                Style = FigureStyle.Default with { CellPixels = test.Width > test.Height ? 240 : 160 },
            }.Save(Path.Combine(folder, "nonlocal-attention")));
            return 0;
        });
        return command;
    }
}
