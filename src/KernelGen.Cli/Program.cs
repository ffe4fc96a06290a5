using KernelGen.Cli.Commands;

// kernelgen: the command line of KernelGen's models. Commands: demo (default), adapter, list, train, eval.
// --help or -h anywhere (kernelgen --help, kernelgen train --help) prints the usage and succeeds.
if (args.Any(a => a is "--help" or "-h")) return Usage(Console.Out, 0);
try
{
    var options = new Options(args);
    string command = options.Positional.FirstOrDefault() ?? "demo";
    return command switch
    {
        "demo" => DemoCommand.Run(Console.Out),
        "adapter" => AdapterCommand.Run(Console.Out),
        "train" => await TrainCommand.RunAsync(options, Console.Out),
        "eval" => await EvalCommand.RunAsync(options, Console.Out),
        "list" => ListCommand.Run(Console.Out),
        "-h" or "--help" or "help" => Usage(Console.Out, 0),
        var other => Usage(Console.Error, 2, $"Unknown command '{other}'."),
    };
}
catch (UsageException e)
{
    return Usage(Console.Error, 2, e.Message);
}
catch (KernelGen.KernelGenConfigurationException e)
{
    return Usage(Console.Error, 2, e.Message);
}
catch (Exception e) when (e is KernelGen.Models.Data.DataSetException or KernelGen.Models.Tensors.ShapeException
    or KernelGen.Models.Training.CheckpointException)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

static int Usage(TextWriter output, int code, string? problem = null)
{
    if (problem is not null) output.WriteLine(problem);
    output.WriteLine("Usage: kernelgen [demo | adapter | list | train ... | eval ...]");
    output.WriteLine("  demo     print the WebGPU adapter, dispatch the sample kernels, check them against the CPU backend");
    output.WriteLine("  adapter  print the compute device that kernels would run on");
    output.WriteLine("  list     every architecture with its parameter count");
    output.WriteLine("  " + TrainCommand.Usage.Replace("\n", "\n  "));
    output.WriteLine("  " + EvalCommand.Usage);
    output.WriteLine("Environment: KERNELGEN_BACKEND=cpu forces the CPU backend; KERNELGEN_WEBGPU_BACKEND=vulkan|opengles picks one.");
    return code;
}
