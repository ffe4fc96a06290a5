using System.Buffers.Binary;
using System.IO.Compression;

namespace KernelGen.Models.Tests.Data;

/// <summary>Writes small IDX files, well-formed or deliberately broken, into a temporary folder of its own.</summary>
internal sealed class IdxWriter : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("kernelgen-idx-tests-").FullName;

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>An image file's bytes: header for <paramref name="declared"/> images, then <paramref name="pixels"/>.</summary>
    public static byte[] Images(int declared, int rows, int cols, byte[] pixels, int magic = 0x00000803) =>
        [.. Header(magic, declared, rows, cols), .. pixels];

    /// <summary>A label file's bytes: header for <paramref name="declared"/> labels (default: as many as given), then the labels.</summary>
    public static byte[] Labels(byte[] labels, int? declared = null, int magic = 0x00000801) =>
        [.. Header(magic, declared ?? labels.Length), .. labels];

    /// <summary>Pixel bytes for <paramref name="count"/> images: image i's pixels are all i.</summary>
    public static byte[] Pixels(int count, int rows, int cols) =>
        Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)i, rows * cols)).ToArray();

    public string Write(string name, byte[] bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteGzip(string name, byte[] bytes)
    {
        string path = PathOf(name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(bytes);
        return path;
    }

    private static byte[] Header(params int[] fields)
    {
        var header = new byte[fields.Length * 4];
        for (int i = 0; i < fields.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(i * 4), fields[i]);
        return header;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
