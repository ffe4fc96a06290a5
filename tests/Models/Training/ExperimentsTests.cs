using KernelGen.Models.Architectures;
using KernelGen.Models.Experiments;
using KernelGen.Models.Nn;
using KernelGen.Models.Tests.Data;
using KernelGen.Models.Tests.Kernels;
using Xunit;

namespace KernelGen.Models.Tests.Training;

/// <summary>The article's two derivations, run on real MNIST images on the CPU backend.</summary>
public class ExperimentsTests
{
    [Fact]
    public void The_perceptron_gradient_formula_matches_autograd_and_central_differences()
    {
        var result = PerceptronGradient.Check(KernelCheck.CpuOracle, RealData.MnistTest, batch: 16, sampled: 20);
        Assert.InRange(result.Loss, 0.5, 10);
        Assert.True(result.AutogradVsFormula < 1e-5, $"autograd vs formula {result.AutogradVsFormula:G3}");
        Assert.True(result.FormulaVsCentralDifference < 1e-5, $"formula vs central differences {result.FormulaVsCentralDifference:G3}");
    }

    [Fact]
    public void The_formula_sees_a_wrong_gradient()
    {
        // The check above could pass vacuously if the formula ignored its inputs: a changed label must change it.
        double[] w = new double[2 * 3], b = new double[2];
        float[] x = [1f, 2f, 3f];
        var (gradA, _) = PerceptronGradient.Formula(w, b, x, [0], 1, 3, 2);
        var (gradB, _) = PerceptronGradient.Formula(w, b, x, [1], 1, 3, 2);
        Assert.Equal([-0.5, -1, -1.5, 0.5, 1, 1.5], gradA);
        Assert.Equal(gradA.Select(g => -g), gradB);
    }

    [Fact]
    public async Task A_linear_mlp_folds_into_a_perceptron_that_computes_the_same_logits()
    {
        var result = await LinearCollapse.RunAsync(KernelCheck.CpuOracle, RealData.MnistTrain.Take(2000), RealData.MnistTest.Take(1000), epochs: 3);
        Assert.True(result.TwoLayerAccuracy > 0.8, $"accuracy {result.TwoLayerAccuracy:P1}");
        Assert.Equal(result.TwoLayerAccuracy, result.FoldedAccuracy, 3);
        Assert.True(result.MaxLogitDifference < 1e-4 * result.MaxLogit, $"logits differ by {result.MaxLogitDifference:G3} of {result.MaxLogit:G3}");
    }

    [Fact]
    public void Only_a_linear_mlp_folds()
    {
        using var mlp = new Mlp(new Init(KernelCheck.CpuOracle, 1), ImageShape.Mnist, MlpConfig.Default);
        Assert.Throws<ArgumentException>(() => LinearCollapse.Fold(mlp, new Init(KernelCheck.CpuOracle, 1)));
    }

    [Fact]
    public void He_initialisation_keeps_the_signal_through_twenty_relu_layers_and_glorot_does_not()
    {
        var he = InitScale.Measure(KernelCheck.CpuOracle, InitScheme.KaimingNormal, depth: 20, width: 128, batch: 64);
        var glorot = InitScale.Measure(KernelCheck.CpuOracle, InitScheme.XavierNormal, depth: 20, width: 128, batch: 64);
        Assert.InRange(he.ActivationStd[^1], 0.2, 5);
        Assert.True(glorot.ActivationStd[^1] < 1e-2, $"glorot at layer 20: {glorot.ActivationStd[^1]:G3}");
        Assert.True(glorot.ActivationStd[^1] < glorot.ActivationStd[0] / 100, "the signal should shrink layer by layer");
        Assert.True(he.GradientStd[0] > 100 * glorot.GradientStd[0], $"first-layer gradients {he.GradientStd[0]:G3} vs {glorot.GradientStd[0]:G3}");
    }
}
