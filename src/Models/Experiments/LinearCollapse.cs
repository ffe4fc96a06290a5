using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Tensors;
using KernelGen.Models.Training;

namespace KernelGen.Models.Experiments;

/// <summary>What <see cref="LinearCollapse.RunAsync"/> measured.</summary>
/// <param name="TwoLayerAccuracy">Test accuracy of the trained 784-128-10 MLP without a non-linearity.</param>
/// <param name="FoldedAccuracy">Test accuracy of the single affine map W2 W1, W2 b1 + b2 folded from it.</param>
/// <param name="MaxLogitDifference">The largest difference between the two models' logits over the test images.</param>
/// <param name="MaxLogit">The largest logit magnitude, to read the difference against.</param>
public sealed record LinearCollapseResult(double TwoLayerAccuracy, double FoldedAccuracy, double MaxLogitDifference, double MaxLogit, int Epochs);

/// <summary>
/// Why an MLP needs its non-linearity: W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2), so two affine layers without
/// a ReLU between them are one affine layer, a perceptron, however wide the hidden layer is. Trains such a network,
/// folds it into a <see cref="Perceptron"/> and shows both compute the same function (and accuracy).
/// </summary>
public static class LinearCollapse
{
    /// <summary>The perceptron with W = W2 W1 and b = W2 b1 + b2 (products in float64) of a two-layer linear MLP.</summary>
    public static Perceptron Fold(Mlp mlp, Init init)
    {
        if (!mlp.Config.Linear || mlp.Layers.Count != 2)
            throw new ArgumentException("Only a linear MLP with one hidden layer folds into a perceptron.", nameof(mlp));
        var (first, second) = (mlp.Layers[0], mlp.Layers[1]);
        int inputs = first.InFeatures, hidden = first.OutFeatures, classes = second.OutFeatures;
        float[] w1 = first.Weight.ToArray(), b1 = first.Bias!.ToArray(), w2 = second.Weight.ToArray(), b2 = second.Bias!.ToArray();
        var w = new float[classes * inputs];
        var b = new float[classes];
        for (int c = 0; c < classes; c++)
        {
            double bias = b2[c];
            for (int h = 0; h < hidden; h++) bias += (double)w2[c * hidden + h] * b1[h];
            b[c] = (float)bias;
            for (int i = 0; i < inputs; i++)
            {
                double sum = 0;
                for (int h = 0; h < hidden; h++) sum += (double)w2[c * hidden + h] * w1[h * inputs + i];
                w[c * inputs + i] = (float)sum;
            }
        }
        var perceptron = new Perceptron(init, mlp.Input, classes);
        perceptron.Classifier.Weight.Load(w);
        perceptron.Classifier.Bias!.Load(b);
        return perceptron;
    }

    /// <summary>Trains mlp-linear for <paramref name="epochs"/> (AdamW, lr 1e-3), folds it and compares the two on <paramref name="test"/>.</summary>
    public static async Task<LinearCollapseResult> RunAsync(ComputeDevice device, ImageDataSet train, ImageDataSet test, int epochs = 1, int seed = 1)
    {
        var init = new Init(device, seed);
        var shape = new ImageShape(1, train.Height, train.Width);
        using var mlp = new Mlp(init, shape, MlpConfig.Default with { Linear = true }, train.Classes);
        using (var optimizer = new AdamW(mlp.NamedParameters(), 1e-3f, weightDecay: 0f))
        using (var trainer = new ClassifierTrainer(mlp, optimizer, new TrainingOptions { Seed = seed }))
            for (int epoch = 0; epoch < epochs; epoch++) await trainer.TrainEpochAsync(train, epoch);

        using var folded = Fold(mlp, init);
        using var pool = new BufferPool(device);
        var deep = await ClassifierTrainer.Evaluate(mlp, pool, test);
        var flat = await ClassifierTrainer.Evaluate(folded, pool, test);
        double maxDifference = 0, maxLogit = 0;
        for (int start = 0; start < test.Count; start += 500)
        {
            int count = Math.Min(500, test.Count - start);
            var a = await Logits(mlp, pool, test, start, count);
            var b = await Logits(folded, pool, test, start, count);
            for (int i = 0; i < a.Length; i++)
            {
                maxDifference = Math.Max(maxDifference, Math.Abs(a[i] - b[i]));
                maxLogit = Math.Max(maxLogit, Math.Abs(a[i]));
            }
        }
        return new LinearCollapseResult(deep.Accuracy, flat.Accuracy, maxDifference, maxLogit, epochs);
    }

    private static async Task<float[]> Logits(ImageClassifier model, BufferPool pool, ImageDataSet data, int start, int count)
    {
        model.Eval();
        using var graph = new Graph(pool, recordGradients: false) { Training = false };
        var input = model.Input;
        var x = graph.Input(data.Pixels.AsSpan(start * data.PixelsPerImage, count * data.PixelsPerImage), new Shape(count, input.Channels, input.Height, input.Width));
        return await model.Forward(x).ToArrayAsync();
    }
}
