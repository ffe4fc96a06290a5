using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Experiments;

/// <summary>What <see cref="PerceptronGradient.Check"/> measured, each as the largest relative error over the entries compared.</summary>
/// <param name="AutogradVsFormula">The library's backward pass against the derived formula, over every entry of dW and db.</param>
/// <param name="FormulaVsCentralDifference">The formula against (L(w + h) - L(w - h)) / 2h in float64, over the sampled entries.</param>
public sealed record GradientCheckResult(double Loss, double AutogradVsFormula, double FormulaVsCentralDifference, int SampledEntries);

/// <summary>
/// The perceptron's gradient, derived and checked. With z = W x + b, p = softmax(z) and the loss L = -log p_y averaged
/// over a batch of B images, dL/dz = (p - onehot(y)) / B, hence dL/dW = sum over the batch of (p - onehot(y)) x^T / B
/// and dL/db = sum of (p - onehot(y)) / B. This computes that formula in float64 on the host, compares it with what the
/// library's autograd (the fused cross-entropy kernel's gradient, then the matmul backward) produces on the device,
/// and checks the formula itself against central differences of the loss.
/// </summary>
public static class PerceptronGradient
{
    public static GradientCheckResult Check(ComputeDevice device, ImageDataSet data, int batch = 64, int seed = 1, int sampled = 50)
    {
        using var model = new Perceptron(new Init(device, seed), new ImageShape(1, data.Height, data.Width), data.Classes);
        int inputs = data.PixelsPerImage, classes = data.Classes;
        var images = data.Pixels.AsSpan(0, batch * inputs).ToArray();
        var labels = data.Labels.AsSpan(0, batch).ToArray();

        float[] autogradW, autogradB;
        double deviceLoss;
        using (var pool = new BufferPool(device))
        using (var graph = new Graph(pool))
        {
            var logits = model.Forward(graph.Input(images, new Shape(batch, 1, data.Height, data.Width)));
            var loss = CrossEntropy(logits, graph.Indices(labels, new Shape(batch), classes));
            model.ZeroGrad();
            loss.Backward();
            deviceLoss = loss.ToArray()[0];
            autogradW = model.Classifier.Weight.Grad!.ToArray();
            autogradB = model.Classifier.Bias!.Grad!.ToArray();
        }

        double[] w = [.. model.Classifier.Weight.ToArray().Select(v => (double)v)], b = [.. model.Classifier.Bias!.ToArray().Select(v => (double)v)];
        var (formulaW, formulaB) = Formula(w, b, images, labels, batch, inputs, classes);
        double autogradError = Math.Max(RelativeError(autogradW, formulaW), RelativeError(autogradB, formulaB));

        // Central differences of the float64 loss at a few entries of W: h = 1e-4 leaves O(h^2) ~ 1e-8 of truncation.
        var random = new Random(seed);
        const double h = 1e-4;
        double worst = 0;
        for (int s = 0; s < sampled; s++)
        {
            int entry = random.Next(w.Length);
            double saved = w[entry];
            w[entry] = saved + h;
            double up = Loss(w, b, images, labels, batch, inputs, classes);
            w[entry] = saved - h;
            double down = Loss(w, b, images, labels, batch, inputs, classes);
            w[entry] = saved;
            double numeric = (up - down) / (2 * h);
            worst = Math.Max(worst, Math.Abs(numeric - formulaW[entry]) / Math.Max(Math.Abs(numeric), 1e-6));
        }
        return new GradientCheckResult(deviceLoss, autogradError, worst, sampled);
    }

    /// <summary>dL/dW = sum (p - onehot(y)) x^T / B and dL/db = sum (p - onehot(y)) / B, in float64.</summary>
    public static (double[] W, double[] B) Formula(double[] w, double[] b, float[] images, int[] labels, int batch, int inputs, int classes)
    {
        var gradW = new double[classes * inputs];
        var gradB = new double[classes];
        for (int n = 0; n < batch; n++)
        {
            var p = Softmax(w, b, images.AsSpan(n * inputs, inputs), classes);
            for (int c = 0; c < classes; c++)
            {
                double delta = (p[c] - (labels[n] == c ? 1 : 0)) / batch;
                gradB[c] += delta;
                for (int i = 0; i < inputs; i++) gradW[c * inputs + i] += delta * images[n * inputs + i];
            }
        }
        return (gradW, gradB);
    }

    private static double Loss(double[] w, double[] b, float[] images, int[] labels, int batch, int inputs, int classes)
    {
        double sum = 0;
        for (int n = 0; n < batch; n++) sum -= Math.Log(Softmax(w, b, images.AsSpan(n * inputs, inputs), classes)[labels[n]]);
        return sum / batch;
    }

    private static double[] Softmax(double[] w, double[] b, ReadOnlySpan<float> x, int classes)
    {
        var z = new double[classes];
        for (int c = 0; c < classes; c++)
        {
            double sum = b[c];
            for (int i = 0; i < x.Length; i++) sum += w[c * x.Length + i] * x[i];
            z[c] = sum;
        }
        double max = z.Max(), total = 0;
        for (int c = 0; c < classes; c++) total += z[c] = Math.Exp(z[c] - max);
        for (int c = 0; c < classes; c++) z[c] /= total;
        return z;
    }

    /// <summary>max |a - e| / max |e|: the error against the size of the gradient as a whole.</summary>
    private static double RelativeError(float[] actual, double[] expected)
    {
        double scale = expected.Max(Math.Abs), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        return worst / scale;
    }
}
