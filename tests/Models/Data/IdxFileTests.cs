using KernelGen.Models.Data;
using Xunit;

namespace KernelGen.Models.Tests.Data;

/// <summary>
/// Broken IDX files written to a temporary folder: each must be refused with a <see cref="DataSetException"/> whose
/// message names the file, says what is wrong, and gives the install command.
/// </summary>
public sealed class IdxFileTests : IDisposable
{
    private readonly IdxWriter _files = new();

    public void Dispose() => _files.Dispose();

    private static DataSetException Refused(string path, Action read, params string[] problem)
    {
        var e = Assert.Throws<DataSetException>(read);
        Assert.Contains(path, e.Message);
        foreach (var words in problem) Assert.Contains(words, e.Message);
        Assert.Contains(DataSetException.InstallCommand, e.Message);
        Assert.Equal(path, e.Path);
        return e;
    }

    [Fact]
    public void A_well_formed_file_reads_back_its_pixels_raw_and_gzipped()
    {
        var bytes = IdxWriter.Images(3, 2, 4, IdxWriter.Pixels(3, 2, 4));
        foreach (var path in new[] { _files.Write("raw-images", bytes), _files.WriteGzip("gz-images.gz", bytes) })
        {
            var images = IdxFile.ReadImages(path);
            Assert.Equal((3, 2, 4), (images.Count, images.Rows, images.Cols));
            Assert.Equal(IdxWriter.Pixels(3, 2, 4), images.Pixels);
        }
    }

    [Fact]
    public void A_truncated_image_file_says_how_many_bytes_it_has_and_needs()
    {
        string path = _files.Write("train-images-idx3-ubyte", IdxWriter.Images(3, 28, 28, IdxWriter.Pixels(1, 28, 28)));
        Refused(path, () => IdxFile.ReadImages(path), "truncated: 800 bytes, expected 2,368 for 3 images of 28x28");
    }

    [Fact]
    public void A_truncated_gzipped_file_counts_decompressed_bytes()
    {
        string path = _files.WriteGzip("images.gz", IdxWriter.Images(3, 28, 28, IdxWriter.Pixels(2, 28, 28)));
        Refused(path, () => IdxFile.ReadImages(path), "truncated: 1,584 bytes after decompression, expected 2,368");
    }

    [Fact]
    public void A_file_shorter_than_its_header_is_truncated()
    {
        string path = _files.Write("stub", [0, 0, 8, 3, 0, 0]);
        Refused(path, () => IdxFile.ReadImages(path), "truncated: 6 bytes", "16-byte IDX header");
    }

    [Fact]
    public void Bytes_after_the_declared_images_are_refused()
    {
        string path = _files.Write("long", IdxWriter.Images(1, 2, 2, IdxWriter.Pixels(2, 2, 2)));
        Refused(path, () => IdxFile.ReadImages(path), "too long: 24 bytes, expected 20 for 1 images of 2x2");
    }

    [Fact]
    public void An_empty_file_is_refused_as_empty()
    {
        string path = _files.Write("empty", []);
        Refused(path, () => IdxFile.ReadImages(path), "empty");
        Refused(path, () => IdxFile.ReadLabels(path, 10), "empty");
    }

    [Fact]
    public void A_missing_file_is_refused_as_missing()
    {
        string path = _files.PathOf("not-there");
        Refused(path, () => IdxFile.ReadImages(path), "missing");
    }

    [Fact]
    public void A_label_file_given_as_images_is_named_as_such()
    {
        string path = _files.Write("labels-as-images", IdxWriter.Labels([1, 2, 3]));
        Refused(path, () => IdxFile.ReadImages(path), "magic 0x00000801 is a label file, expected images");
    }

    [Fact]
    public void An_image_file_given_as_labels_is_named_as_such()
    {
        string path = _files.Write("images-as-labels", IdxWriter.Images(1, 2, 2, IdxWriter.Pixels(1, 2, 2)));
        Refused(path, () => IdxFile.ReadLabels(path, 10), "magic 0x00000803 is an image file, expected labels");
    }

    [Fact]
    public void A_file_that_is_not_idx_at_all_shows_its_magic()
    {
        string path = _files.Write("text", "hello, world, this is text"u8.ToArray());
        Refused(path, () => IdxFile.ReadImages(path), "magic 0x68656C6C is not an IDX file");
    }

    [Fact]
    public void A_non_positive_dimension_in_the_header_is_refused()
    {
        string path = _files.Write("zero-rows", IdxWriter.Images(1, 0, 28, []));
        Refused(path, () => IdxFile.ReadImages(path), "0 as the rows");
    }

    [Fact]
    public void A_gz_file_full_of_garbage_is_not_a_valid_gzip_stream()
    {
        var garbage = new byte[256];
        new Random(1).NextBytes(garbage);
        garbage[0] = 0x1f;
        garbage[1] = 0x8b;
        string path = _files.Write("garbage.gz", garbage);
        Refused(path, () => IdxFile.ReadImages(path), "not a valid gzip stream");
    }

    [Fact]
    public void A_label_outside_the_classes_is_named_with_its_index()
    {
        string path = _files.Write("labels", IdxWriter.Labels([3, 9, 10, 1]));
        Refused(path, () => IdxFile.ReadLabels(path, 10), "label 10 at index 2 is out of range", "10 classes");
        Assert.Equal([3, 9, 10, 1], IdxFile.ReadLabels(path, 11));
    }

    [Fact]
    public void A_truncated_label_file_says_how_many_labels_it_declares()
    {
        string path = _files.Write("labels", IdxWriter.Labels([1, 2], declared: 60_000));
        Refused(path, () => IdxFile.ReadLabels(path, 10), "truncated: 10 bytes, expected 60,008 for 60,000 labels");
    }

    [Fact]
    public void Images_and_labels_of_different_counts_name_both_files()
    {
        string images = _files.Write("images", IdxWriter.Images(3, 2, 2, IdxWriter.Pixels(3, 2, 2)));
        string labels = _files.Write("labels", IdxWriter.Labels([0, 1]));
        var e = Refused(labels, () => DataSets.FromIdx("pair", images, labels, 10, Normalization.UnitRange),
            "holds 2 labels but", "holds 3 images");
        Assert.Contains(images, e.Message);
    }

    [Fact]
    public void A_matching_pair_becomes_an_image_data_set_with_normalised_pixels()
    {
        string images = _files.WriteGzip("t10k-images-idx3-ubyte.gz", IdxWriter.Images(3, 2, 2, IdxWriter.Pixels(3, 2, 2)));
        _files.WriteGzip("t10k-labels-idx1-ubyte.gz", IdxWriter.Labels([2, 0, 1]));
        var data = DataSets.FashionMnist(Split.Test, _files.Folder, Normalization.UnitRange);
        Assert.Equal("Fashion-MNIST test", data.Name);
        Assert.Equal([2, 0, 1], data.Labels);
        Assert.Equal(Enumerable.Repeat(2 / 255f, 4), data.Image(2).ToArray());
        Assert.Equal("Pullover", data.ClassNames[data.Labels[0]]);
        Assert.True(File.Exists(images));
    }

    [Fact]
    public void An_image_data_set_built_in_memory_refuses_a_label_out_of_range()
    {
        var e = Assert.Throws<DataSetException>(() => new ImageDataSet("mine", new float[3 * 4], [0, 5, 2], 2, 2, classes: 3));
        Assert.Contains("mine", e.Message);
        Assert.Contains("label 5 at index 1", e.Message);
    }
}
