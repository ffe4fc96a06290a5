using Xunit;

namespace KernelGen.Cli.Tests;

/// <summary>kernelgen experiment: the article's derivations print their measurements; a missing subcommand is a usage error.</summary>
public sealed class ExperimentCommandTests
{
    [Fact]
    public async Task Gradient_check_prints_errors_at_rounding_level()
    {
        var run = await Cli.RunAsync("experiment", "gradient-check", "--batch", "8", "--backend", "cpu");
        Assert.True(run.Code == 0, run.ToString());
        var errors = System.Text.RegularExpressions.Regex.Matches(run.Out, @"max (?:relative )?error ([0-9.]+e[-+]?[0-9]+)")
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, errors.Length);
        Assert.All(errors, e => Assert.InRange(e, 0, 1e-4));
    }

    [Fact]
    public async Task Linear_collapse_reports_the_same_accuracy_for_both_forms()
    {
        var run = await Cli.RunAsync("experiment", "linear-collapse", "--subset", "1000", "--backend", "cpu");
        Assert.True(run.Code == 0, run.ToString());
        var accuracies = System.Text.RegularExpressions.Regex.Matches(run.Out, @"test accuracy ([0-9.]+) %").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(2, accuracies.Length);
        Assert.Equal(accuracies[0], accuracies[1]);
    }

    [Fact]
    public async Task A_missing_or_unknown_experiment_is_a_usage_error()
    {
        var run = await Cli.RunAsync("experiment", "bogus");
        Assert.Equal(2, run.Code);
        Assert.Contains("Usage: kernelgen experiment", run.Error);
    }
}
