using KernelGen.Models.Data;
using Xunit;

namespace KernelGen.Models.Tests.Data;

/// <summary>Epochs of mini-batches: coverage, seeded order, partial last batch, and that the arrays hold the batch.</summary>
public sealed class ImageBatchesTests
{
    /// <summary>Ten 2x3 images; image i's pixels are all i and its label is i, so a batch shows which images it holds.</summary>
    private static ImageDataSet Numbered(int count = 10)
    {
        var pixels = Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((float)i, 6)).ToArray();
        return new ImageDataSet("numbered", pixels, Enumerable.Range(0, count).ToArray(), 2, 3, classes: count);
    }

    private static (List<int> Sizes, List<int> Labels) Run(ImageBatches batches, int epoch)
    {
        var images = new float[batches.BatchSize * 6];
        var labels = new int[batches.BatchSize];
        var sizes = new List<int>();
        var seen = new List<int>();
        foreach (int size in batches.Epoch(epoch, images, labels))
        {
            sizes.Add(size);
            for (int k = 0; k < size; k++)
            {
                Assert.All(images.AsSpan(k * 6, 6).ToArray(), p => Assert.Equal(labels[k], p)); // pixels travel with their label
                seen.Add(labels[k]);
            }
        }
        return (sizes, seen);
    }

    [Fact]
    public void Every_image_appears_exactly_once_per_epoch()
    {
        var batches = Numbered(103).Batches(batchSize: 16, seed: 5);
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.Equal(Enumerable.Range(0, 103), Run(batches, epoch).Labels.Order());
    }

    [Fact]
    public void The_order_depends_only_on_seed_and_epoch()
    {
        var data = Numbered(50);
        Assert.Equal(Run(data.Batches(8, seed: 3), 2).Labels, Run(new ImageBatches(data, 8, seed: 3), 2).Labels);
        Assert.NotEqual(Run(data.Batches(8, 3), 0).Labels, Run(data.Batches(8, 3), 1).Labels);
        Assert.NotEqual(Run(data.Batches(8, 3), 0).Labels, Run(data.Batches(8, 4), 0).Labels);
        Assert.NotEqual(Enumerable.Range(0, 50), Run(data.Batches(8, 3), 0).Labels);
    }

    [Fact]
    public void The_last_partial_batch_is_kept_unless_dropLast()
    {
        var data = Numbered(10);
        Assert.Equal([4, 4, 2], Run(data.Batches(4, seed: 1), 0).Sizes);
        Assert.Equal(3, data.Batches(4, 1).BatchesPerEpoch);

        var dropped = data.Batches(4, seed: 1, dropLast: true);
        var (sizes, labels) = Run(dropped, 0);
        Assert.Equal([4, 4], sizes);
        Assert.Equal(2, dropped.BatchesPerEpoch);
        Assert.Equal(8, labels.Distinct().Count());
        Assert.Equal(Run(data.Batches(4, 1), 0).Labels[..8], labels); // the same order, one batch fewer
    }

    [Fact]
    public void Without_shuffling_the_images_come_in_file_order()
    {
        Assert.Equal(Enumerable.Range(0, 10), Run(Numbered().Batches(3, seed: 9, shuffle: false), 4).Labels);
    }

    [Fact]
    public void Arrays_smaller_than_a_batch_are_refused_before_iterating()
    {
        var batches = Numbered().Batches(4, seed: 1);
        Assert.Throws<ArgumentException>(() => batches.Epoch(0, new float[4 * 6 - 1], new int[4]));
        Assert.Throws<ArgumentException>(() => batches.Epoch(0, new float[4 * 6], new int[3]));
    }

    [Fact]
    public void Mnist_batches_cover_the_test_set_once()
    {
        var test = RealData.MnistTest;
        var batches = test.Batches(batchSize: 64, seed: 0);
        var images = new float[64 * test.PixelsPerImage];
        var labels = new int[64];
        int total = 0, batchCount = 0;
        foreach (int size in batches.Epoch(0, images, labels))
        {
            total += size;
            batchCount++;
        }
        Assert.Equal(10_000, total);
        Assert.Equal(157, batchCount);
        var order = batches.Order(0);
        Assert.Equal(test.Labels[order[9_984]], labels[0]); // the last batch starts at 156 * 64
    }
}
