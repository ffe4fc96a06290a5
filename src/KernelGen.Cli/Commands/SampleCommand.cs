using System.CommandLine;
using KernelGen.Models.Data;
using KernelGen.Models.Training;

namespace KernelGen.Cli.Commands;

/// <summary>
/// <c>kernelgen sample &lt;checkpoint&gt;</c>: rebuilds a character GPT from its checkpoint and prints the continuation
/// of a prompt, character by character as they are drawn (softmax with a temperature, over the top k).
/// </summary>
internal static class SampleCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = CliOptions.Checkpoint("a checkpoint written by kernelgen train gpt");
        var prompt = new Option<string>("--prompt") { Description = "the text to continue (default: a newline)", HelpName = "TEXT", DefaultValueFactory = _ => "\n" };
        prompt.Validators.Add(r => { if (r.Tokens.Count > 0 && r.Tokens[0].Value.Length == 0) r.AddError("--prompt needs at least one character."); });
        var length = CliOptions.Int("--length", "characters to generate", 300);
        var temperature = CliOptions.Float("--temperature", "divides the scores before the softmax: lower is more conservative", 0.8f, positive: true);
        var topK = CliOptions.Int("--top-k", "draw from the K most likely characters only (0: from all)", 20, min: 0);
        var seed = CliOptions.Int("--seed", "seeds the draws", 1, min: 0);
        var backend = CliOptions.Backend();
        var text = CliOptions.ExistingFile("--text", "the text it was trained on, for a checkpoint without its characters");
        var dataDirectory = CliOptions.DataDirectory();
        var command = new Command("sample", "continue a prompt with a character GPT's checkpoint") { checkpoint, prompt, length, temperature, topK, seed, backend, text, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string path = parse.GetValue(checkpoint)!;
            var metadata = Checkpoint.ReadMetadata(path);
            if (CheckpointModels.Value(path, metadata, "architecture") is var architecture && architecture != "gpt")
                throw new CheckpointException(path, $"a {architecture} checkpoint: sample continues text with a gpt checkpoint (kernelgen train gpt)");
            TextDataSet? trainingText = metadata.ContainsKey(Training.GptRun.CharactersKey) && parse.GetValue(text) is null
                ? null : CheckpointModels.TrainingText(metadata, parse.GetValue(text), parse.GetValue(dataDirectory));
            using var device = DeviceChoice.Open(parse.GetValue(backend)!, context.Error);
            var (gpt, vocabulary) = CheckpointModels.LoadGpt(path, metadata, device, trainingText);
            using (gpt)
            {
                string start = parse.GetValue(prompt)!;
                int[] tokens;
                try
                {
                    tokens = vocabulary.Encode(start);
                }
                catch (ArgumentException e)
                {
                    throw new UsageException($"--prompt: {e.Message.Split(" (Parameter")[0]}");
                }
                using var pool = new BufferPool(device);
                int k = parse.GetValue(topK);
                await gpt.GenerateAsync(pool, tokens, parse.GetValue(length), new Random(parse.GetValue(seed)), parse.GetValue(temperature),
                    k > 0 ? k : null, token => context.Out.Write(vocabulary.Characters[token]), cancellationToken);
                context.Out.WriteLine();
            }
            return 0;
        });
        return command;
    }
}
