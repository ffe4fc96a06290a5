using KernelGen.Cli.Commands;

// kernelgen: the command line of KernelGen's models (Commands/KernelGenCli.cs lists the commands; --help on each).
return await KernelGenCli.RunAsync(args, CliContext.ForConsole());
