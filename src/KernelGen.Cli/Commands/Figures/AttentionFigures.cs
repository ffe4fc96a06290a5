using System.CommandLine;
using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Tensors;
using KernelGen.Models.Training;
using KernelGen.Reports.Figures;

namespace KernelGen.Cli.Commands.Figures;

/// <summary>
/// <c>kernelgen figures attention &lt;vit or gpt checkpoint&gt;</c>. ViT: for each layer (a row) and head, the attention
/// each patch receives, averaged over the queries (a map over the image's patches), next to the test image
/// (vit-attention.png/.svg). GPT: each head's [T, T] attention over a prompt, rows the queries, columns the keys, zero
/// above the diagonal (causal) (gpt-attention.png/.svg).
/// </summary>
internal static class AttentionFigures
{
    public const string DefaultPrompt = "First Citizen:";

    public static Command Create(CliContext context, FigureOptions options)
    {
        var checkpoint = CliOptions.Checkpoint("a checkpoint of a ViT (vit, vit-100k) or of the GPT, written by kernelgen train");
        var image = FigureOptions.Image();
        var prompt = new Option<string>("--prompt") { Description = $"GPT: the text whose attention is drawn (its last --context characters; default: \"{DefaultPrompt}\")", HelpName = "TEXT", DefaultValueFactory = _ => DefaultPrompt };
        prompt.Validators.Add(r => { if (r.Tokens.Count > 0 && r.Tokens[0].Value.Length == 0) r.AddError("--prompt needs at least one character."); });
        var command = new Command("attention", "the attention of every head and layer: a ViT's over one test image's patches, or the GPT's over a prompt") { checkpoint, image, prompt };
        options.AddCheckpointOptions(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(checkpoint)!, folder = options.Folder(parse);
            var metadata = Checkpoint.ReadMetadata(path);
            using var device = DeviceChoice.Open(parse.GetValue(options.Backend)!, context.Error);
            var files = CheckpointModels.Value(path, metadata, "architecture") == "gpt"
                ? await GptAsync(path, metadata, device, parse.GetValue(prompt)!, parse.GetValue(options.DataDirectory), folder, cancellationToken)
                : await VitAsync(path, metadata, device, parse.GetValue(image), parse.GetValue(options.DataDirectory), folder, cancellationToken);
            FigureOptions.Wrote(context.Out, files);
            return 0;
        });
        return command;
    }

    private static async Task<Reports.FigureFiles> VitAsync(string path, IReadOnlyDictionary<string, string> metadata, ComputeDevice device, int index,
        string? dataDirectory, string folder, CancellationToken cancellationToken)
    {
        using var vision = CheckpointModels.LoadVision(path, metadata, device, null, dataDirectory);
        if (vision.Model is not VisionTransformer vit)
            throw new FigureException($"{path}: a {vision.Entry.Name} checkpoint; figures attention draws a ViT's (vit, vit-100k) or the GPT's.");
        var test = vision.Test;
        var maps = await FigureOptions.ForwardAsync(device, test, index, vision.Data, vit.AttentionMaps, cancellationToken);
        int rows = test.Height / vit.Config.Patch, columns = test.Width / vit.Config.Patch, tokens = rows * columns, heads = vit.Config.Heads;
        var tiles = new List<HeatmapTile>();
        for (int layer = 0; layer < maps.Count; layer++)
        {
            tiles.Add(HeatmapTile.FromRowMajor(layer == 0 ? $"image {index} ({test.ClassNames[test.Labels[index]]})" : $"layer {layer + 1}", test.Image(index), test.Height, test.Width));
            var weights = maps[layer].Values;   // [heads, tokens, tokens]: row i is where query i looks
            for (int head = 0; head < heads; head++)
            {
                var received = new float[tokens];
                for (int query = 0; query < tokens; query++)
                    for (int key = 0; key < tokens; key++) received[key] += weights[(head * tokens + query) * tokens + key] / tokens;
                tiles.Add(HeatmapTile.FromRowMajor($"layer {layer + 1}, head {head + 1}", received, rows, columns));
            }
        }
        return new ImageGrid
        {
            Title = $"{vision.Entry.Name}: attention received per patch",
            Tiles = tiles, Columns = heads + 1, Scale = ColorScale.Viridis,
        }.Save(Path.Combine(folder, "vit-attention"));
    }

    private static async Task<Reports.FigureFiles> GptAsync(string path, IReadOnlyDictionary<string, string> metadata, ComputeDevice device, string prompt,
        string? dataDirectory, string folder, CancellationToken cancellationToken)
    {
        TextDataSet? text = metadata.ContainsKey(Training.GptRun.CharactersKey) ? null : CheckpointModels.TrainingText(metadata, null, dataDirectory);
        var (gpt, vocabulary) = CheckpointModels.LoadGpt(path, metadata, device, text);
        using (gpt)
        {
            if (prompt.Length > gpt.Config.Context) prompt = prompt[^gpt.Config.Context..];
            int[] ids;
            try
            {
                ids = vocabulary.Encode(prompt);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--prompt: {e.Message.Split(" (Parameter")[0]}");
            }
            gpt.Eval();
            List<(float[] Values, int[] Shape)> maps = [];
            using (var pool = new BufferPool(device))
            using (var graph = new Graph(pool, recordGradients: false) { Training = false })
            {
                IReadOnlyList<Tensor> outputs;
                using (device.BeginBatch())
                    outputs = gpt.AttentionMaps(graph.Indices(ids, new Shape(1, ids.Length), gpt.Config.Vocabulary, "token"));
                foreach (var output in outputs) maps.Add((await output.ToArrayAsync(cancellationToken), output.Shape.Dims.ToArray()));
            }
            int time = ids.Length, heads = gpt.Config.Heads;
            var tiles = new List<HeatmapTile>();
            for (int layer = 0; layer < maps.Count; layer++)
                for (int head = 0; head < heads; head++)
                    tiles.Add(HeatmapTile.FromRowMajor($"layer {layer + 1}, head {head + 1}", maps[layer].Values.AsSpan(head * time * time, time * time), time, time));
            // The prompt in the title, its line breaks as arrows, shortened to what a row of tiles has room for.
            string shown = prompt.ReplaceLineEndings("\u21b5");
            int room = Math.Max(8, heads * 160 / 14 - 12);
            if (shown.Length > room) shown = "\u2026" + shown[^(room - 1)..];
            return new ImageGrid
            {
                Title = $"gpt: attention over \"{shown}\"", Tiles = tiles, Columns = heads, Scale = ColorScale.Viridis,
                Style = FigureStyle.Default with { CellPixels = 160 },
            }.Save(Path.Combine(folder, "gpt-attention"));
        }
    }
}
