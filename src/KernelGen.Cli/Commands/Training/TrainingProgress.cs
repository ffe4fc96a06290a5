using System.Diagnostics;
using System.Globalization;
using KernelGen.Models.Training;
using Spectre.Console;

namespace KernelGen.Cli.Commands.Training;

/// <summary>Told about each step of a run (and each epoch's start), to show how it goes.</summary>
internal interface IStepTracker
{
    /// <summary>An epoch of <paramref name="steps"/> steps starts (the vision runs; the GPT has no epochs).</summary>
    void BeginEpoch(int epoch, int steps);

    void Step(StepMetrics metrics);
}

/// <summary>
/// How a run shows its progress: live (a Spectre.Console progress bar with loss, accuracy, examples/s and the time
/// left) when the output is an interactive terminal, else plain log lines. <see cref="Log"/> is where the run's own
/// lines go (through Spectre.Console while a live display is up, so they print above it).
/// </summary>
internal abstract class TrainingProgress
{
    public static TrainingProgress For(CliContext context, bool stepLines = true) =>
        context.Interactive ? new LiveProgress() : new LineProgress(context.Out, stepLines);

    public abstract TextWriter Log { get; }

    /// <summary>Runs <paramref name="work"/> (a run of <paramref name="totalSteps"/> steps, <paramref name="doneSteps"/> of them done before) under this display.</summary>
    public abstract Task<T> RunAsync<T>(string label, int totalSteps, int doneSteps, Func<IStepTracker, Task<T>> work);

    /// <summary>A loss for a log line: four decimals, or four significant digits when it has grown huge.</summary>
    public static string Loss(double loss) =>
        Math.Abs(loss) < 1e4 || !double.IsFinite(loss) ? loss.ToString("F4", CultureInfo.InvariantCulture) : loss.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>"1:05" or "1:02:05".</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) return "?";
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// What both displays measure: steps and examples since this process started the run, the loss of the steps
    /// since the last report, the running accuracy of the epoch, the time left at this process's pace.
    /// </summary>
    protected sealed class Rates(int totalSteps, int doneSteps)
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private int steps, lastStep = doneSteps;
        private long examples;
        private double windowLoss, epochCorrect;
        private int windowSteps, epochExamples;

        public int LastStep => lastStep;

        public void BeginEpoch()
        {
            epochCorrect = 0;
            epochExamples = 0;
        }

        public void Add(StepMetrics m)
        {
            steps++;
            lastStep = m.Step;
            examples += m.Examples;
            if (float.IsFinite(m.Loss))
            {
                windowLoss += m.Loss;
                windowSteps++;
            }
            if (float.IsFinite(m.Accuracy))
            {
                epochCorrect += m.Accuracy * m.Examples;
                epochExamples += m.Examples;
            }
        }

        /// <summary>The mean loss since the last call (NaN when every step's was not finite), and starts a new window.</summary>
        public double TakeWindowLoss()
        {
            double loss = windowSteps > 0 ? windowLoss / windowSteps : double.NaN;
            windowLoss = 0;
            windowSteps = 0;
            return loss;
        }

        public double? EpochAccuracy => epochExamples > 0 ? epochCorrect / epochExamples : null;

        public double ExamplesPerSecond => examples / Math.Max(1e-9, clock.Elapsed.TotalSeconds);

        public double SecondsLeft => steps == 0 ? double.NaN : (totalSteps - lastStep) * clock.Elapsed.TotalSeconds / steps;
    }
}

/// <summary>
/// Plain lines for logs, pipes and CI: the run's own lines, plus (with step lines) one line every tenth of an epoch's
/// steps: step, loss since the last line, running accuracy, examples per second and the time left.
/// </summary>
internal sealed class LineProgress(TextWriter output, bool stepLines) : TrainingProgress
{
    public override TextWriter Log => output;

    public override Task<T> RunAsync<T>(string label, int totalSteps, int doneSteps, Func<IStepTracker, Task<T>> work) =>
        work(new Tracker(output, stepLines, totalSteps, doneSteps));

    private sealed class Tracker(TextWriter output, bool stepLines, int totalSteps, int doneSteps) : IStepTracker
    {
        private readonly Rates rates = new(totalSteps, doneSteps);
        private int every = int.MaxValue, inEpoch, epochSteps;

        public void BeginEpoch(int epoch, int steps)
        {
            rates.BeginEpoch();
            epochSteps = steps;
            inEpoch = 0;
            every = Math.Max(1, steps / 10);
        }

        public void Step(StepMetrics m)
        {
            rates.Add(m);
            inEpoch++;
            if (!stepLines || inEpoch % every != 0 || inEpoch >= epochSteps) return;
            string accuracy = rates.EpochAccuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $", train accuracy {a:P2}") : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  step {m.Step}/{totalSteps}: loss {Loss(rates.TakeWindowLoss())}{accuracy}, {rates.ExamplesPerSecond:N0} examples/s, ETA {Duration(rates.SecondsLeft)}"));
        }
    }
}

/// <summary>A Spectre.Console progress bar per run, its description showing loss, accuracy and examples per second.</summary>
internal sealed class LiveProgress : TrainingProgress
{
    public override TextWriter Log { get; } = new AnsiConsoleLineWriter();

    public override Task<T> RunAsync<T>(string label, int totalSteps, int doneSteps, Func<IStepTracker, Task<T>> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: Math.Max(1, totalSteps));
                task.Value = doneSteps;
                var result = await work(new Tracker(task, label, totalSteps, doneSteps)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            });

    private sealed class Tracker(ProgressTask task, string label, int totalSteps, int doneSteps) : IStepTracker
    {
        private readonly Rates rates = new(totalSteps, doneSteps);

        public void BeginEpoch(int epoch, int steps) => rates.BeginEpoch();

        public void Step(StepMetrics m)
        {
            rates.Add(m);
            task.Increment(1);
            if (m.Step % 5 != 0 && m.Step != totalSteps) return; // the description every few steps: the loss is a mean over them
            string accuracy = rates.EpochAccuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $"  acc {a:P1}") : "";
            task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{label}  step {m.Step}/{totalSteps}  loss {Loss(rates.TakeWindowLoss())}{accuracy}  {rates.ExamplesPerSecond:N0} ex/s"));
        }
    }

    /// <summary>Sends whole lines to <see cref="AnsiConsole"/>, which prints them above the live display.</summary>
    private sealed class AnsiConsoleLineWriter : TextWriter
    {
        private readonly System.Text.StringBuilder line = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                AnsiConsole.WriteLine(line.ToString().TrimEnd('\r'));
                line.Clear();
            }
            else
            {
                line.Append(value);
            }
        }

        public override void Flush()
        {
            if (line.Length == 0) return;
            AnsiConsole.Write(line.ToString());
            line.Clear();
        }
    }
}
