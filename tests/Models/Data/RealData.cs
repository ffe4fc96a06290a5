using KernelGen.Models.Data;

namespace KernelGen.Models.Tests.Data;

/// <summary>
/// The installed data sets, each read once for the whole test run (MNIST's 60,000 training images are 188 MB of
/// floats; rereading them per test would make the project slow). A missing file fails the test that touches it with
/// the DataSetException's message, which names the install command; nothing here skips.
/// </summary>
internal static class RealData
{
    private static readonly Lazy<ImageDataSet> MnistTrainLazy = new(() => DataSets.Mnist(Split.Train));
    private static readonly Lazy<ImageDataSet> MnistTestLazy = new(() => DataSets.Mnist(Split.Test));
    private static readonly Lazy<ImageDataSet> FashionTrainLazy = new(() => DataSets.FashionMnist(Split.Train));
    private static readonly Lazy<ImageDataSet> FashionTestLazy = new(() => DataSets.FashionMnist(Split.Test));
    private static readonly Lazy<TextDataSet> ShakespeareLazy = new(() => DataSets.TinyShakespeare());

    public static ImageDataSet MnistTrain => MnistTrainLazy.Value;
    public static ImageDataSet MnistTest => MnistTestLazy.Value;
    public static ImageDataSet FashionTrain => FashionTrainLazy.Value;
    public static ImageDataSet FashionTest => FashionTestLazy.Value;
    public static TextDataSet Shakespeare => ShakespeareLazy.Value;
}
