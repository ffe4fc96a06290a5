using System.CommandLine;
using KernelGen.Cli.Commands.Figures;

namespace KernelGen.Cli.Commands;

/// <summary>
/// <c>kernelgen figures</c>: the article's figures, as PNG and SVG in --out (default docs/figures), from checkpoints
/// (filters, attention, nonlocal: the model rebuilt as <c>eval</c> does) and from run folders (gradients, curves).
/// </summary>
internal static class FiguresCommand
{
    public static Command Create(CliContext context)
    {
        var options = new FigureOptions();
        var command = new Command("figures", "draw the article's figures (PNG and SVG) from checkpoints and run folders");
        command.Subcommands.Add(FilterFigures.Create(context, options));
        command.Subcommands.Add(AttentionFigures.Create(context, options));
        command.Subcommands.Add(NonLocalFigures.Create(context, options));
        command.Subcommands.Add(RunFigures.CreateGradients(context, options));
        command.Subcommands.Add(RunFigures.CreateCurves(context, options));
        return command;
    }
}
