using System.CommandLine;
using System.Globalization;
using KernelGen.Models.Data;
using KernelGen.Models.Experiments;
using KernelGen.Models.Nn;

namespace KernelGen.Cli.Commands;

/// <summary>
/// <c>kernelgen experiment</c>: the article's small derivations, measured. <c>gradient-check</c> compares the
/// perceptron's gradient from autograd with the formula (p - y) x^T and with central differences;
/// <c>linear-collapse</c> trains a two-layer MLP without its ReLU and folds it into one affine map.
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("experiment", "the article's derivations, measured: gradient-check, linear-collapse, init");
        command.Subcommands.Add(GradientCheck(context));
        command.Subcommands.Add(LinearCollapseCommand(context));
        command.Subcommands.Add(InitCommand(context));
        return command;
    }

    private static Command GradientCheck(CliContext context)
    {
        var batch = CliOptions.Int("--batch", "MNIST test images in the batch", 64);
        var seed = CliOptions.Int("--seed", "seeds the perceptron's initialisation and the sampled entries", 1, min: 0);
        var backend = CliOptions.Backend();
        var dataDirectory = CliOptions.DataDirectory();
        var command = new Command("gradient-check", "the perceptron's gradient: autograd on the device vs the formula (p - onehot(y)) x^T / B vs central differences")
            { batch, seed, backend, dataDirectory };
        command.SetAction(parse =>
        {
            var test = DataSets.Mnist(Split.Test, dataDirectory: parse.GetValue(dataDirectory));
            using var device = DeviceChoice.Open(parse.GetValue(backend)!, context.Error);
            var r = PerceptronGradient.Check(device, test, parse.GetValue(batch), parse.GetValue(seed));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"perceptron on {parse.GetValue(batch)} MNIST test images, {device.Description}: loss {r.Loss:F4}"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  autograd vs formula (every entry of dW and db): max error {r.AutogradVsFormula:0.00e+0} of the largest gradient entry"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  formula vs central differences ({r.SampledEntries} entries of W, h = 1e-4, float64): max relative error {r.FormulaVsCentralDifference:0.00e+0}"));
            return 0;
        });
        return command;
    }

    private static Command LinearCollapseCommand(CliContext context)
    {
        var epochs = CliOptions.Int("--epochs", "passes over MNIST's 60,000 training images", 1);
        var subset = CliOptions.OptionalInt("--subset", "train on the first N training images (default: all)");
        var seed = CliOptions.Int("--seed", "seeds the initialisation and the batch order", 1, min: 0);
        var backend = CliOptions.Backend();
        var dataDirectory = CliOptions.DataDirectory();
        var command = new Command("linear-collapse", "train 784-128-10 without its ReLU, fold W2 W1 into one affine map, and compare the two")
            { epochs, subset, seed, backend, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? folder = parse.GetValue(dataDirectory);
            var train = DataSets.Mnist(Split.Train, dataDirectory: folder).Take(parse.GetValue(subset) ?? int.MaxValue);
            var test = DataSets.Mnist(Split.Test, dataDirectory: folder);
            using var device = DeviceChoice.Open(parse.GetValue(backend)!, context.Error);
            var r = await LinearCollapse.RunAsync(device, train, test, parse.GetValue(epochs), parse.GetValue(seed));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mlp-linear (784-128-10, no ReLU) trained {r.Epochs} epoch(s) on {train.Count:N0} images, {device.Description}"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  two layers:        test accuracy {r.TwoLayerAccuracy:P2}"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  folded W2 W1 (one): test accuracy {r.FoldedAccuracy:P2}"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  largest logit difference over the test set {r.MaxLogitDifference:0.00e+0} (largest logit {r.MaxLogit:F2})"));
            return 0;
        });
        return command;
    }

    private static Command InitCommand(CliContext context)
    {
        var depth = CliOptions.Int("--depth", "Linear + ReLU layers in the stack", 20);
        var width = CliOptions.Int("--width", "units per layer", 256, min: 2);
        var seed = CliOptions.Int("--seed", "seeds the weights, the inputs and the targets", 1, min: 0);
        var backend = CliOptions.Backend();
        var command = new Command("init", "activation and gradient spread through a deep ReLU stack at initialisation, per scheme (Xavier vs He)")
            { depth, width, seed, backend };
        command.SetAction(parse =>
        {
            using var device = DeviceChoice.Open(parse.GetValue(backend)!, context.Error);
            int layers = parse.GetValue(depth);
            var results = new[] { InitScheme.XavierNormal, InitScheme.KaimingNormal }
                .Select(s => InitScale.Measure(device, s, layers, parse.GetValue(width), seed: parse.GetValue(seed))).ToArray();
            context.Out.WriteLine($"{layers} layers of Linear({parse.GetValue(width)}, {parse.GetValue(width)}) + ReLU, batch 256 of N(0, 1) inputs, {device.Description}");
            context.Out.WriteLine("| layer | " + string.Join(" | ", results.Select(r => $"{r.Scheme} activation std | {r.Scheme} weight-gradient std")) + " |");
            context.Out.WriteLine("| ---: |" + string.Concat(Enumerable.Repeat(" ---: | ---: |", results.Length)));
            foreach (int l in new[] { 1, 2, 5, 10, 15, layers }.Where(l => l <= layers).Distinct())
                context.Out.WriteLine($"| {l} | " + string.Join(" | ", results.Select(r =>
                    string.Create(CultureInfo.InvariantCulture, $"{r.ActivationStd[l - 1]:0.###e+0} | {r.GradientStd[l - 1]:0.###e+0}"))) + " |");
            return 0;
        });
        return command;
    }
}
