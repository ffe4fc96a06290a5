using KernelGen.Models.Architectures;
using KernelGen.Models.Data;
using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using KernelGen.Models.Tests.Kernels;
using KernelGen.Models.Tests.Nn;
using Xunit;

namespace KernelGen.Models.Tests.Data;

/// <summary>The article's two probe tasks: MNIST with its pixels permuted, and digit pairs far apart.</summary>
public class TasksTests
{
    /// <summary>Ten "digits" of 2x3 pixels whose every pixel is its class + 1 (0 stays the background, -1).</summary>
    private static ImageDataSet Flat(int perClass = 3)
    {
        int n = 10 * perClass;
        var labels = Enumerable.Range(0, n).Select(i => i % 10).ToArray();
        var pixels = labels.SelectMany(l => Enumerable.Repeat(l + 1f, 6)).ToArray();
        pixels[0] = -1f;   // one background pixel somewhere, the set's minimum
        return new ImageDataSet("flat", pixels, labels, 2, 3, 10);
    }

    [Fact]
    public void A_permutation_moves_every_pixel_once_the_same_way_in_every_image()
    {
        var permutation = new PixelPermutation(784, seed: 0);
        var sources = Enumerable.Range(0, 784).Select(permutation.SourceOf).ToArray();
        Assert.Equal(Enumerable.Range(0, 784), sources.Order());
        Assert.True(sources.Where((s, i) => s != i).Count() > 700, "hardly anything moved");
        Assert.Equal(sources, Enumerable.Range(0, 784).Select(new PixelPermutation(784, 0).SourceOf));   // seeded
        Assert.NotEqual(sources, Enumerable.Range(0, 784).Select(new PixelPermutation(784, 1).SourceOf));

        var images = new ImageDataSet("ramp", Enumerable.Range(0, 2 * 784).Select(i => (float)i).ToArray(), [3, 7], 28, 28, 10);
        var permuted = permutation.Apply(images);
        Assert.Equal(images.Labels, permuted.Labels);
        for (int image = 0; image < 2; image++)
            for (int i = 0; i < 784; i++)
                Assert.Equal(images.Image(image)[permutation.SourceOf(i)], permuted.Image(image)[i]);
        Assert.Throws<ArgumentException>(() => new PixelPermutation(10, 0).Apply(images));
    }

    [Fact]
    public void Digit_pairs_are_half_same_half_different_with_a_blank_gap()
    {
        var pairs = DigitPairs.Create(Flat(), 400, seed: 5, gap: 4);
        Assert.Equal((2, 3 + 4 + 3, 2), (pairs.Height, pairs.Width, pairs.Classes));
        Assert.Equal(200, pairs.Labels.Count(l => l == 1));
        for (int i = 0; i < pairs.Count; i++)
        {
            var image = pairs.Image(i);
            float left = image[1], right = image[3 + 4 + 1];   // row 0's second pixel of each digit (never the background)
            Assert.Equal(pairs.Labels[i] == 1, left == right);
            for (int row = 0; row < 2; row++)
                for (int col = 3; col < 7; col++) Assert.Equal(-1f, image[row * 10 + col]);
        }
        var again = DigitPairs.Create(Flat(), 400, seed: 5, gap: 4);
        Assert.Equal(pairs.Pixels, again.Pixels);

        var twoDigits = DigitPairs.Create(Flat(), 100, seed: 5, gap: 4, classes: [2, 5]);   // pixel values 3 and 6 only
        Assert.All(Enumerable.Range(0, 100), i => Assert.Contains(twoDigits.Image(i)[1], new[] { 3f, 6f }));
        Assert.Throws<ArgumentException>(() => DigitPairs.Create(Flat(), 10, seed: 5, classes: [2]));
    }

    [Fact]
    public void The_named_tasks_load_from_the_installed_files()
    {
        var permuted = Tasks.Load("mnist-permuted");
        Assert.Equal((60_000, 10_000), (permuted.Train.Count, permuted.Test.Count));
        Assert.Equal(RealData.MnistTrain.Labels, permuted.Train.Labels);
        Assert.NotEqual(RealData.MnistTrain.Image(0).ToArray(), permuted.Train.Image(0).ToArray());
        Assert.Equal(RealData.MnistTrain.Image(0).ToArray().Order(), permuted.Train.Image(0).ToArray().Order());

        var pairs = Tasks.Load("digit-pairs");
        Assert.Equal((20_000, 5_000, 28, 84), (pairs.Train.Count, pairs.Test.Count, pairs.Train.Height, pairs.Train.Width));
        Assert.Equal(pairs.Test.Pixels, Tasks.Load("digit-pairs", Split.Test).Pixels);   // one split alone is the same set
        Assert.Throws<ArgumentException>(() => Tasks.Load("cifar"));
        Assert.Throws<ArgumentException>(() => Tasks.Load("cifar", Split.Test));
    }

    /// <summary>
    /// Why cnn-gap cannot learn the pairs: its logits are a sum of a part that depends on the left digit only and a
    /// part that depends on the right one, so logits(a, b) - logits(a, b') = logits(c, b) - logits(c, b') for any
    /// digits. The non-local block breaks that sum once its output map is non-zero.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_local_cnn_is_additive_over_the_two_digits_and_the_non_local_one_is_not(bool nonLocal)
    {
        var device = KernelCheck.CpuOracle;
        using var model = new Cnn(new Init(device, 1), new ImageShape(1, 28, 84), CnnConfig.Default with { GlobalPool = true, NonLocal = nonLocal }, 2);
        NumericGrad.Randomize(model.Parameters(), 3, 0.3f);   // including the non-local block's zero-initialised output map
        model.Eval();
        var digits = RealData.MnistTest;
        float[] Pair(int left, int right)
        {
            var image = new float[28 * 84];
            image.AsSpan().Fill(digits.Pixels.Min());
            for (int row = 0; row < 28; row++)
            {
                digits.Image(left).Slice(row * 28, 28).CopyTo(image.AsSpan(row * 84, 28));
                digits.Image(right).Slice(row * 28, 28).CopyTo(image.AsSpan(row * 84 + 56, 28));
            }
            return image;
        }
        float[] batch = [.. Pair(0, 1), .. Pair(0, 2), .. Pair(3, 1), .. Pair(3, 2)];
        using var pool = new BufferPool(device);
        using var graph = new Graph(pool, recordGradients: false) { Training = false };
        var logits = model.Forward(graph.Input(batch, new Shape(4, 1, 28, 84))).ToArray();
        double interaction = Enumerable.Range(0, 2).Max(k => Math.Abs((logits[k] - logits[2 + k]) - (logits[4 + k] - logits[6 + k])));
        double scale = Enumerable.Range(0, 2).Max(k => Math.Abs(logits[k] - logits[2 + k]));
        Assert.True(scale > 1e-3, "changing the right digit changed nothing; the test would prove nothing");
        if (nonLocal) Assert.True(interaction > 1e-2 * scale, $"non-local: interaction {interaction:G3} vs {scale:G3}");
        else Assert.True(interaction < 1e-4 * scale + 1e-6, $"local: interaction {interaction:G3} vs {scale:G3}");
    }
}
