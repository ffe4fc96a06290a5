using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace KernelGen.Models.Data;

/// <summary>The pixels of an IDX image file: <see cref="Count"/> images of <see cref="Rows"/> x <see cref="Cols"/> bytes, row-major.</summary>
public sealed record IdxImages(string Path, byte[] Pixels, int Count, int Rows, int Cols);

/// <summary>
/// Reads the IDX files MNIST and Fashion-MNIST ship in (LeCun's format): a big-endian int32 magic (0x00000803 for
/// images, 0x00000801 for labels), an int32 count, for images int32 rows and cols, then one unsigned byte per pixel
/// or label. A gzipped file (the Debian package's form) is recognised by its gzip signature and read transparently.
/// Everything is checked, the exact length included, because a half-downloaded or mixed-up file would otherwise
/// train a model on garbage without a word; every fault is a <see cref="DataSetException"/> naming the file.
/// </summary>
public static class IdxFile
{
    /// <summary>Magic of an image file: unsigned bytes, three dimensions (count, rows, cols).</summary>
    public const int ImageMagic = 0x00000803;

    /// <summary>Magic of a label file: unsigned bytes, one dimension (count).</summary>
    public const int LabelMagic = 0x00000801;

    private const int ImageHeaderBytes = 16;
    private const int LabelHeaderBytes = 8;

    /// <summary>Reads an image file (raw or gzipped).</summary>
    public static IdxImages ReadImages(string path)
    {
        using var stream = Open(path, out bool gzipped);
        var header = ReadHeader(stream, path, gzipped, ImageHeaderBytes, ImageMagic);
        int count = Dimension(header, 4, path, "image count");
        int rows = Dimension(header, 8, path, "rows");
        int cols = Dimension(header, 12, path, "cols");
        long payload = (long)count * rows * cols;
        if (payload > Array.MaxLength)
            throw new DataSetException(path, $"declares {N(count)} images of {rows}x{cols}, more bytes than one array holds");
        string what = $"{N(count)} images of {rows}x{cols}";
        var pixels = ReadPayload(stream, path, gzipped, ImageHeaderBytes, (int)payload, what);
        return new IdxImages(path, pixels, count, rows, cols);
    }

    /// <summary>Reads a label file (raw or gzipped) and checks every label is below <paramref name="classes"/>.</summary>
    public static byte[] ReadLabels(string path, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        using var stream = Open(path, out bool gzipped);
        var header = ReadHeader(stream, path, gzipped, LabelHeaderBytes, LabelMagic);
        int count = Dimension(header, 4, path, "label count");
        var labels = ReadPayload(stream, path, gzipped, LabelHeaderBytes, count, $"{N(count)} labels");
        int bad = classes > byte.MaxValue ? -1 : labels.AsSpan().IndexOfAnyInRange((byte)classes, byte.MaxValue);
        if (bad >= 0)
            throw new DataSetException(path, $"label {labels[bad]} at index {N(bad)} is out of range: there are {classes} classes (0-{classes - 1})");
        return labels;
    }

    private static Stream Open(string path, out bool gzipped)
    {
        if (!File.Exists(path)) throw new DataSetException(path, "missing");
        var file = File.OpenRead(path);
        try
        {
            Span<byte> signature = stackalloc byte[2];
            int read = file.ReadAtLeast(signature, 2, throwOnEndOfStream: false);
            if (read == 0) throw new DataSetException(path, "empty (0 bytes)");
            file.Position = 0;
            gzipped = read == 2 && signature[0] == 0x1f && signature[1] == 0x8b;
            return gzipped ? new GZipStream(file, CompressionMode.Decompress) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static byte[] ReadHeader(Stream stream, string path, bool gzipped, int headerBytes, int expectedMagic)
    {
        var header = new byte[headerBytes];
        int read = Fill(stream, header, path);
        if (read == 0) throw new DataSetException(path, "empty after decompression (0 bytes)");
        if (read >= 4)
        {
            int magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic) throw new DataSetException(path, WrongMagic(magic, expectedMagic));
        }
        if (read < headerBytes)
            throw new DataSetException(path, $"truncated: {N(read)} bytes{Decompressed(gzipped)}, too short for the {headerBytes}-byte IDX header");
        return header;
    }

    private static string WrongMagic(int magic, int expected) => (magic, expected) switch
    {
        (LabelMagic, ImageMagic) => $"magic 0x{magic:X8} is a label file, expected images (0x{ImageMagic:X8})",
        (ImageMagic, LabelMagic) => $"magic 0x{magic:X8} is an image file, expected labels (0x{LabelMagic:X8})",
        _ => $"magic 0x{magic:X8} is not an IDX file of unsigned bytes, expected 0x{expected:X8}",
    };

    private static int Dimension(byte[] header, int offset, string path, string name)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(offset));
        if (value <= 0) throw new DataSetException(path, $"header declares {value} as the {name}; it must be positive");
        return value;
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes after the header and checks nothing follows them.</summary>
    private static byte[] ReadPayload(Stream stream, string path, bool gzipped, int headerBytes, int length, string what)
    {
        var payload = GC.AllocateUninitializedArray<byte>(length);
        long expected = (long)headerBytes + length;
        long actual = headerBytes + Fill(stream, payload, path);
        if (actual < expected)
            throw new DataSetException(path, $"truncated: {N(actual)} bytes{Decompressed(gzipped)}, expected {N(expected)} for {what}");
        actual += Drain(stream, path);
        if (actual > expected)
            throw new DataSetException(path, $"too long: {N(actual)} bytes{Decompressed(gzipped)}, expected {N(expected)} for {what}");
        return payload;
    }

    private static int Fill(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DataSetException(path, $"not a valid gzip stream ({e.Message})", e);
        }
    }

    private static long Drain(Stream stream, string path)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        for (int read; (read = Fill(stream, scratch, path)) > 0;) total += read;
        return total;
    }

    private static string Decompressed(bool gzipped) => gzipped ? " after decompression" : "";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
