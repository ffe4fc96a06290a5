using KernelGen.Cli.Commands;

// kernelgen: the command line of KernelGen's models. Commands: demo (default), adapter.
return args.FirstOrDefault() switch
{
    null or "demo" => DemoCommand.Run(Console.Out),
    "adapter" => AdapterCommand.Run(Console.Out),
    "-h" or "--help" or "help" => Usage(Console.Out, 0),
    var other => Usage(Console.Error, 2, $"Unknown command '{other}'."),
};

static int Usage(TextWriter output, int code, string? problem = null)
{
    if (problem is not null) output.WriteLine(problem);
    output.WriteLine("Usage: kernelgen [demo | adapter]");
    output.WriteLine("  demo     print the WebGPU adapter, dispatch the sample kernels, check them against the CPU backend");
    output.WriteLine("  adapter  print the compute device that kernels would run on");
    output.WriteLine("Environment: KERNELGEN_BACKEND=cpu forces the CPU backend; KERNELGEN_WEBGPU_BACKEND=vulkan|opengles picks one.");
    return code;
}
