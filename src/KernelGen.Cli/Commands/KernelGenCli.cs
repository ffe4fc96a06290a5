using System.CommandLine;
using System.CommandLine.Invocation;
using KernelGen.Cli.Commands.Figures;
using KernelGen.Cli.Commands.Training;
using KernelGen.Models.Data;
using KernelGen.Models.Tensors;
using KernelGen.Models.Training;
using KernelGen.Reports.Runs;

namespace KernelGen.Cli.Commands;

/// <summary>
/// The <c>kernelgen</c> command line on System.CommandLine: demo (the default), adapter, info, list, train, compare,
/// eval, sample, figures; <c>--help</c> on each. A parse error (unknown option, bad value, missing argument) and a
/// <see cref="UsageException"/> print their message and the command's usage line on standard error, exit code 2;
/// a bad KERNELGEN_BACKEND too; a data set, shape, checkpoint or run-folder problem, a figure's wrong input, or a diverged
/// run, prints its message, exit code 1.
/// Never a stack trace for any of these.
/// </summary>
internal static class KernelGenCli
{
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("kernelgen: the command line of KernelGen's models (C# kernels compiled to WGSL, run on WebGPU or the CPU backend). " +
            "Environment: KERNELGEN_BACKEND=cpu|webgpu|auto picks the backend for --backend auto; KERNELGEN_WEBGPU_BACKEND=vulkan|opengles picks one WebGPU backend; " +
            "KERNELGEN_DATA names a folder of data files.");
        var demo = new Command("demo", "print the WebGPU adapter, dispatch the sample kernels, check them against the CPU backend (the default command)");
        demo.SetAction(_ => DemoCommand.Run(context.Out));
        var adapter = new Command("adapter", "print the compute device that kernels would run on");
        adapter.SetAction(_ => AdapterCommand.Run(context.Out));
        root.Subcommands.Add(demo);
        root.Subcommands.Add(adapter);
        root.Subcommands.Add(InfoCommand.Create(context));
        root.Subcommands.Add(ListCommand.Create(context));
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(EvalCommand.Create(context));
        root.Subcommands.Add(SampleCommand.Create(context));
        root.Subcommands.Add(ExperimentCommand.Create(context));
        root.Subcommands.Add(FiguresCommand.Create(context));
        root.SetAction(_ => DemoCommand.Run(context.Out));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context)
    {
        var parse = Create(context).Parse(args);
        var command = parse.CommandResult.Command;
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) context.Error.WriteLine(error.Message);
            return Usage(context.Error, command);
        }
        // Ctrl+C once cancels the command (a training run stops at its step, exit code 130); twice ends the process.
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = !interrupt.IsCancellationRequested;
            interrupt.Cancel();
        };
        if (context.OwnsConsole) Console.CancelKeyPress += onCancel;
        try
        {
            var configuration = new InvocationConfiguration
            {
                Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            };
            return await parse.InvokeAsync(configuration, interrupt.Token);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine(e.Message);
            return Usage(context.Error, command);
        }
        catch (KernelGenConfigurationException e)
        {
            context.Error.WriteLine(e.Message);
            return Usage(context.Error, command);
        }
        catch (Exception e) when (e is DataSetException or ShapeException or CheckpointException or TrainingDivergedException or FigureException or RunFormatException)
        {
            context.Error.WriteLine(e.Message);
            return 1;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            context.Error.WriteLine("Interrupted (a training run continues from its last checkpoint with --resume).");
            return 130;
        }
        finally
        {
            if (context.OwnsConsole) Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>"Usage: kernelgen train &lt;architecture&gt; [options]" and where the options are listed; exit code 2.</summary>
    public static int Usage(TextWriter output, Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
            names.Insert(0, c is RootCommand ? "kernelgen" : c.Name);
        string path = string.Join(' ', names);
        string arguments = string.Concat(command.Arguments.Select(a => $" <{a.Name}>"));
        if (arguments.Length == 0 && command.Subcommands.Count > 0) arguments = " [command]";
        output.WriteLine($"Usage: {path}{arguments} [options]   ('{path} --help' lists them)");
        return 2;
    }
}
