using System.CommandLine;
using KernelGen.Models.Architectures;
using KernelGen.Models.Nn;

namespace KernelGen.Cli.Commands;

/// <summary><c>kernelgen list</c>: every architecture with its parameter count (for MNIST's 28x28, 10 classes) and description.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("list", "every architecture with its parameter count and a description");
        command.SetAction(_ => Run(context.Out));
        return command;
    }

    public static int Run(TextWriter output)
    {
        using var cpu = ComputeDevice.OpenCpu();
        int width = Catalog.Vision.Max(e => e.Name.Length);
        foreach (var entry in Catalog.Vision)
        {
            using var model = entry.Create(new Init(cpu, 0), ImageShape.Mnist, 10);
            output.WriteLine($"{entry.Name.PadRight(width)} {model.ParameterCount,9:N0}  {entry.Description}");
        }
        using var gpt = new Gpt(new Init(cpu, 0), new GptConfig(65));
        output.WriteLine($"{"gpt".PadRight(width)} {gpt.ParameterCount,9:N0}  character GPT: 4 layers, 4 heads, width 128, context 64 (Tiny Shakespeare's 65 characters)");
        return 0;
    }
}
