namespace KernelGen.Models.Data;

/// <summary>A training set and its held-out test set, under the name the CLI's <c>--data</c> uses.</summary>
public sealed record ImageTask(string Name, string Description, ImageDataSet Train, ImageDataSet Test);

/// <summary>
/// The image tasks of the article by name: the two data sets as installed, and the two experiments built from MNIST
/// that probe a model's assumptions (a fixed pixel permutation; digit pairs far apart).
/// </summary>
public static class Tasks
{
    /// <summary>The digits the digit-pairs task draws from.</summary>
    private static readonly int[] PairDigits = [0, 1];

    /// <summary>Every name <see cref="Load"/> knows, with what it is.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> All =
    [
        ("mnist", "MNIST handwritten digits, 60,000 training and 10,000 test images"),
        ("fashion", "Fashion-MNIST clothes, 60,000 training and 10,000 test images"),
        ("mnist-permuted", "MNIST with one fixed random permutation of the 784 pixel positions (seed 0), the same for every image"),
        ("digit-pairs", $"two MNIST digits, each a 0 or a 1, {DigitPairs.Gap} blank columns apart (28x84): same digit or not; 20,000 training and 5,000 test pairs"),
    ];

    /// <summary>The task called <paramref name="name"/> (one of <see cref="All"/>), its files looked up in <paramref name="dataDirectory"/> first if given.</summary>
    public static ImageTask Load(string name, string? dataDirectory = null)
    {
        string description = All.FirstOrDefault(t => t.Name == name).Description
            ?? throw new ArgumentException($"Unknown data '{name}'; one of {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));
        switch (name)
        {
            case "mnist":
                return new(name, description, DataSets.Mnist(Split.Train, dataDirectory: dataDirectory), DataSets.Mnist(Split.Test, dataDirectory: dataDirectory));
            case "fashion":
                return new(name, description, DataSets.FashionMnist(Split.Train, dataDirectory: dataDirectory), DataSets.FashionMnist(Split.Test, dataDirectory: dataDirectory));
            case "mnist-permuted":
                var permutation = new PixelPermutation(28 * 28, seed: 0);
                return new(name, description, permutation.Apply(DataSets.Mnist(Split.Train, dataDirectory: dataDirectory)), permutation.Apply(DataSets.Mnist(Split.Test, dataDirectory: dataDirectory)));
            default:   // digit-pairs: test pairs come from the test digits only, so no digit image is in both sets
                return new(name, description, DigitPairs.Create(DataSets.Mnist(Split.Train, dataDirectory: dataDirectory), 20_000, seed: 1, classes: PairDigits),
                    DigitPairs.Create(DataSets.Mnist(Split.Test, dataDirectory: dataDirectory), 5_000, seed: 2, classes: PairDigits));
        }
    }
}
