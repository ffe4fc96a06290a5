using KernelGen.Models.Data;
using Xunit;

namespace KernelGen.Models.Tests.Data;

/// <summary>
/// An explicit data directory (the CLI's <c>--data-dir</c>) is looked in first, like <c>$KERNELGEN_DATA</c>: its
/// sub-folder named after the data set, then the folder itself; the Find* methods say where a data set would be read.
/// </summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly IdxWriter _files = new();

    public void Dispose() => _files.Dispose();

    private void WriteSplit(string folder, string prefix, byte[] labels)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), IdxWriter.Images(labels.Length, 28, 28, IdxWriter.Pixels(labels.Length, 28, 28)));
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), IdxWriter.Labels(labels));
    }

    [Fact]
    public void Mnist_is_read_from_the_data_directorys_mnist_sub_folder_before_the_repository()
    {
        string mnist = Path.Combine(_files.Folder, "mnist");
        WriteSplit(mnist, "train", [3, 1, 4]);
        WriteSplit(mnist, "t10k", [1, 5]);
        Assert.Equal([3, 1, 4], DataSets.Mnist(Split.Train, dataDirectory: _files.Folder).Labels);
        Assert.Equal([1, 5], DataSets.Mnist(Split.Test, dataDirectory: _files.Folder).Labels);
        Assert.Equal(Path.GetFullPath(mnist), DataSets.FindMnist(_files.Folder));
    }

    [Fact]
    public void Files_directly_in_the_data_directory_are_found_too()
    {
        WriteSplit(_files.Folder, "t10k", [9, 9, 2]);
        Assert.Equal([9, 9, 2], DataSets.FashionMnist(Split.Test, dataDirectory: _files.Folder).Labels);
    }

    [Fact]
    public void The_text_is_read_from_the_data_directory()
    {
        File.WriteAllText(_files.PathOf("tinyshakespeare.txt"), "to be or not to be");
        var text = DataSets.TinyShakespeare(dataDirectory: _files.Folder);
        Assert.Equal("to be or not to be", text.Text);
        Assert.Equal(Path.GetFullPath(_files.PathOf("tinyshakespeare.txt")), DataSets.FindTinyShakespeare(_files.Folder));
    }

    [Fact]
    public void Without_a_data_directory_the_installed_data_sets_are_found()
    {
        Assert.NotNull(DataSets.FindMnist());
        Assert.NotNull(DataSets.FindTinyShakespeare());
    }
}
