using System.CommandLine;
using KernelGen.Models.Architectures;
using KernelGen.Models.Training;
using KernelGen.Reports.Figures;

namespace KernelGen.Cli.Commands.Figures;

/// <summary>
/// <c>kernelgen figures filters &lt;cnn checkpoint&gt;</c>: the CNN's first-layer filters (conv1.weight, [16, 1, 5, 5])
/// on a diverging scale shared by all (filters.png/.svg), and one test image with its first feature maps, after
/// the first convolution and its ReLU (feature-maps.png/.svg).
/// </summary>
internal static class FilterFigures
{
    public static Command Create(CliContext context, FigureOptions options)
    {
        var checkpoint = CliOptions.Checkpoint("a checkpoint of a CNN (cnn, cnn-100k, cnn-nonlocal, cnn-gap, cnn-gap-nonlocal) written by kernelgen train");
        var image = FigureOptions.Image();
        var command = new Command("filters", "a CNN's first-layer filters, and the first feature maps of one test image") { checkpoint, image };
        options.AddCheckpointOptions(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(checkpoint)!, folder = options.Folder(parse);
            var metadata = Checkpoint.ReadMetadata(path);
            using var device = DeviceChoice.Open(parse.GetValue(options.Backend)!, context.Error);
            using var vision = CheckpointModels.LoadVision(path, metadata, device, null, parse.GetValue(options.DataDirectory));
            if (vision.Model is not Cnn cnn)
                throw new FigureException($"{path}: a {vision.Entry.Name} checkpoint; figures filters draws a CNN's (cnn, cnn-100k, cnn-nonlocal, cnn-gap, cnn-gap-nonlocal).");
            var weights = await cnn.Conv1.Weight.ToArrayAsync(cancellationToken);
            int[] shape = cnn.Conv1.Weight.Shape.Dims.ToArray();
            FigureOptions.Wrote(context.Out, new ImageGrid
            {
                Title = $"{vision.Entry.Name}: first-layer filters [{string.Join(", ", shape)}]", Tiles = ImageGrid.TilesOf(weights, shape, "filter "),
                Scale = ColorScale.Diverging, SharedRange = true,
            }.Save(Path.Combine(folder, "filters")));

            int index = parse.GetValue(image);
            var test = vision.Test;
            var maps = (await FigureOptions.ForwardAsync(device, test, index, vision.Data, x => [cnn.FirstFeatureMaps(x)], cancellationToken))[0];
            var input = HeatmapTile.FromRowMajor($"image {index} ({test.ClassNames[test.Labels[index]]})", test.Image(index), test.Height, test.Width);
            FigureOptions.Wrote(context.Out, new ImageGrid
            {
                Title = $"{vision.Entry.Name}: conv1 + ReLU, image {index}",
                Tiles = [input, .. ImageGrid.TilesOf(maps.Values, maps.Shape[1..], "map ")],
            }.Save(Path.Combine(folder, "feature-maps")));
            return 0;
        });
        return command;
    }
}
