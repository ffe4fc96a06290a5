using System.Globalization;
using System.Text;
using KernelGen.Models.Training;

namespace KernelGen.Cli.Commands.Training;

/// <summary>
/// FOLDER/steps.jsonl: one line per step (step, loss, accuracy when the model has one, learning rate, seconds since
/// this process started the run; a skipped step has a null loss and "skipped": true). Written through a large buffer
/// and flushed only by <see cref="Flush"/> (each epoch and checkpoint) and at the end, not per line. A resumed run
/// first drops the lines after the checkpoint's step (a killed run may have written some), then appends.
/// </summary>
internal sealed class StepLog : IDisposable
{
    public const string FileName = "steps.jsonl";
    private readonly StreamWriter writer;

    public StepLog(string folder, int resumedStep)
    {
        string path = Path.Combine(folder, FileName);
        if (resumedStep > 0 && File.Exists(path))
            File.WriteAllLines(path, File.ReadLines(path).Where(line => StepOf(line) is { } step && step <= resumedStep).ToList());
        writer = new StreamWriter(path, append: resumedStep > 0, new UTF8Encoding(false), bufferSize: 1 << 16);
    }

    public void Write(StepMetrics m, double seconds)
    {
        var line = new StringBuilder(96);
        var c = CultureInfo.InvariantCulture;
        line.Append(c, $"{{\"step\":{m.Step},\"loss\":{Number(m.Loss)}");
        if (float.IsFinite(m.Accuracy)) line.Append(c, $",\"accuracy\":{Number(m.Accuracy)}");
        line.Append(c, $",\"learning_rate\":{Number(m.LearningRate)},\"seconds\":{seconds.ToString("F3", c)}");
        if (m.Skipped) line.Append(",\"skipped\":true");
        line.Append('}');
        writer.WriteLine(line);
    }

    public void Flush() => writer.Flush();

    public void Dispose() => writer.Dispose();

    private static string Number(float value) => float.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null";

    /// <summary>The "step" of a line this class wrote, or null.</summary>
    private static int? StepOf(string line)
    {
        const string prefix = "{\"step\":";
        if (!line.StartsWith(prefix, StringComparison.Ordinal)) return null;
        int end = line.IndexOf(',', prefix.Length);
        return end > 0 && int.TryParse(line.AsSpan(prefix.Length, end - prefix.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out int step) ? step : null;
    }
}
