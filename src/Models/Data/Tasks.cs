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
    public static ImageTask Load(string name, string? dataDirectory = null) =>
        new(name, Describe(name), Load(name, Split.Train, dataDirectory), Load(name, Split.Test, dataDirectory));

    /// <summary>One split of the task called <paramref name="name"/>: the test set alone (eval, figures) reads no training file.</summary>
    public static ImageDataSet Load(string name, Split split, string? dataDirectory = null)
    {
        Describe(name);   // refuses an unknown name before any file is read
        bool train = split == Split.Train;
        switch (name)
        {
            case "mnist":
                return DataSets.Mnist(split, dataDirectory: dataDirectory);
            case "fashion":
                return DataSets.FashionMnist(split, dataDirectory: dataDirectory);
            case "mnist-permuted":   // the same seeded permutation for both splits
                return new PixelPermutation(28 * 28, seed: 0).Apply(DataSets.Mnist(split, dataDirectory: dataDirectory));
            default:   // digit-pairs: test pairs come from the test digits only, so no digit image is in both sets
                return DigitPairs.Create(DataSets.Mnist(split, dataDirectory: dataDirectory), train ? 20_000 : 5_000, seed: train ? 1 : 2, classes: PairDigits);
        }
    }

    private static string Describe(string name) => All.FirstOrDefault(t => t.Name == name).Description
        ?? throw new ArgumentException($"Unknown data '{name}'; one of {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));
}
