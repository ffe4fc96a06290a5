using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KernelGen.Cli.Commands.Reporting;
using KernelGen.Cli.Commands.Training;
using KernelGen.Models.Architectures;

namespace KernelGen.Cli.Commands;

/// <summary>
/// <c>kernelgen compare</c>: trains several vision architectures one after another on the same data, epochs, subset,
/// batch, seed and backend (each with its own default optimizer and rate, as <c>train</c> picks them), prints a
/// Markdown table and writes OUT/compare.json, OUT/compare.csv, OUT/report.html and OUT/figures/ (<see cref="CompareReport"/>);
/// each run's folder is OUT/&lt;architecture&gt;.
/// </summary>
internal static class CompareCommand
{
    public const string DefaultArchitectures = "perceptron,mlp,cnn";

    public static Command Create(CliContext context)
    {
        var architectures = new Option<string[]>("--architectures")
        {
            Description = "comma-separated architectures to train (`kernelgen list` names them)",
            HelpName = "a,b,c",
            Arity = ArgumentArity.ExactlyOne,
            DefaultValueFactory = _ => DefaultArchitectures.Split(','),
            CustomParser = r => ParseArchitectures(r.Tokens[0].Value, r.AddError),
        };
        var shared = new TrainCommand.SharedOptions(epochs: 1, subset: 10_000);
        var output = CliOptions.OutFolder("the folder of compare.json, compare.csv and one run folder per architecture (default: runs/compare)");
        var command = new Command("compare", "train several architectures on the same data and budget; print and write a table of the results");
        command.Options.Add(architectures);
        shared.AddTo(command);
        command.Options.Add(output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string folder = parse.GetValue(output) ?? Path.Combine("runs", "compare");
            var names = parse.GetValue(architectures)!;
            var results = new List<VisionResult>();
            var progress = TrainingProgress.For(context);
            VisionSettings? settings = null;
            foreach (var name in names)
            {
                settings = shared.Read(parse, name) with { Out = Path.Combine(folder, name) };
                results.Add(await VisionRun.RunAsync(settings, progress, context.Error, cancellationToken));
                progress.Log.WriteLine();
            }
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "compare.json"), Json(settings!, results));
            File.WriteAllText(Path.Combine(folder, "compare.csv"), Csv(results));
            progress.Log.Write(Table(results));
            progress.Log.WriteLine($"wrote {Path.Combine(folder, "compare.json")} and {Path.Combine(folder, "compare.csv")}");
            CompareReport.TryWrite(folder, settings!, results, progress.Log, context.Error);
            return 0;
        });
        return command;
    }

    /// <summary>"a,b,c" as catalog names (each known, none twice), or an error.</summary>
    internal static string[] ParseArchitectures(string value, Action<string> error)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = names.Where(n => Catalog.Find(n) is null).ToList();
        if (names.Length == 0) error("--architectures needs at least one name.");
        else if (unknown.Count > 0)
            error($"--architectures: unknown {string.Join(", ", unknown.Select(u => $"'{u}'"))}; the vision architectures are {string.Join(", ", Catalog.Vision.Select(a => a.Name))}.");
        var canonical = names.Select(n => Catalog.Find(n)?.Name ?? n).ToArray();
        if (unknown.Count == 0 && canonical.Distinct().Count() != canonical.Length) error($"--architectures names one twice: '{value}'.");
        return canonical;
    }

    internal static string Table(IReadOnlyList<VisionResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new StringBuilder();
        table.AppendLine("| architecture | parameters | test accuracy | test loss | ms/step | seconds | device MB |");
        table.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
            table.AppendLine(string.Create(c, $"| {r.Architecture} | {r.Parameters:N0} | {r.TestAccuracy:P2} | {r.TestLoss:F4} | {r.MsPerStep:F1} | {r.Seconds:F1} | {r.DeviceBytes / 1e6:F1} |"));
        return table.ToString();
    }

    private static string Json(VisionSettings settings, IReadOnlyList<VisionResult> results) => JsonSerializer.Serialize(new
    {
        data = settings.Data, epochs = settings.Epochs, subset = settings.Subset, batch = settings.Batch, seed = settings.Seed,
        backend = settings.Backend,
        results = results.Select(r => new
        {
            architecture = r.Architecture, parameters = r.Parameters, train_images = r.TrainImages, epochs = r.Epochs,
            test_accuracy = r.TestAccuracy, test_loss = r.TestLoss, ms_per_step = r.MsPerStep, seconds = r.Seconds, device_bytes = r.DeviceBytes, backend = r.Backend,
            folder = r.Folder,
        }),
    }, new JsonSerializerOptions(VisionRun.Json) { WriteIndented = true });

    private static string Csv(IReadOnlyList<VisionResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("architecture,parameters,train_images,epochs,test_accuracy,test_loss,ms_per_step,seconds,device_bytes,backend\n");
        foreach (var r in results)
            csv.Append(c, $"{r.Architecture},{r.Parameters},{r.TrainImages},{r.Epochs},{r.TestAccuracy:R},{r.TestLoss:R},{r.MsPerStep:F3},{r.Seconds:F3},{r.DeviceBytes},{r.Backend}\n");
        return csv.ToString();
    }
}
