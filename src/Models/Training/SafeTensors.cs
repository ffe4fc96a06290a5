using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace KernelGen.Models.Training;

/// <summary>A named float32 tensor as a safetensors file holds it: a shape (outermost first) and row-major values.</summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Values);

/// <summary>What a safetensors file holds: its tensors in the order of their data, and its string metadata.</summary>
public sealed record SafeTensorsContent(IReadOnlyList<NamedTensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Reads and writes the safetensors format (float32 only): an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>, padded with
/// spaces to 8-byte alignment), then the tensors' little-endian bytes, offsets counted from the end of the header.
/// </summary>
/// <remarks>
/// Writes are atomic: the file is written as <c>&lt;path&gt;.tmp</c> in the same folder, flushed to disk and renamed over
/// <paramref name="path"/>, so a reader (or a run killed mid-write) sees the old file or the new one, never half of one.
/// The reader checks everything and throws <see cref="CheckpointException"/>; it accepts what PyTorch's
/// <c>safetensors.torch.save_file</c> writes for float32 tensors, and what it writes is readable by <c>load_file</c>.
/// </remarks>
public static class SafeTensors
{
    /// <summary>The key of the string-to-string metadata in the header.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> (data in this order) and <paramref name="metadata"/> atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        byte[] header = Header(list, metadata);
        string tmp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (var tensor in list) WriteFloats(stream, tensor.Values);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Reads every tensor and the metadata of <paramref name="path"/>, checking the whole file.</summary>
    public static SafeTensorsContent Read(string path)
    {
        byte[] bytes = ReadAll(path);
        var (entries, metadata, dataStart) = ParseHeader(path, bytes, bytes.LongLength);
        var tensors = entries.Select(e =>
            new NamedTensor(e.Name, e.Shape, ToFloats(bytes.AsSpan((int)(dataStart + e.Begin), (int)(e.End - e.Begin))))).ToList();
        return new SafeTensorsContent(tensors, metadata);
    }

    /// <summary>The metadata and each tensor's name and shape, from the header alone (the offsets are checked against the file's length).</summary>
    public static (IReadOnlyList<(string Name, int[] Shape)> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadHeader(string path)
    {
        Require(path);
        long fileLength;
        byte[] prefix;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            fileLength = stream.Length;
            long wanted = 8;
            if (fileLength >= 8)
            {
                Span<byte> first = stackalloc byte[8];
                stream.ReadExactly(first);
                ulong n = BinaryPrimitives.ReadUInt64LittleEndian(first);
                wanted = n <= (ulong)Math.Min(MaxHeaderBytes, fileLength - 8) ? 8 + (long)n : 8;
                stream.Position = 0;
            }
            prefix = new byte[Math.Min(wanted, fileLength)];
            stream.ReadExactly(prefix);
        }
        catch (IOException e) { throw new CheckpointException(path, "cannot be read: " + e.Message, e); }
        var (entries, metadata, _) = ParseHeader(path, prefix, fileLength);
        return (entries.Select(e => (e.Name, e.Shape)).ToList(), metadata);
    }

    private sealed record Entry(string Name, int[] Shape, long Begin, long End);

    private static byte[] Header(List<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in tensors)
            {
                ArgumentNullException.ThrowIfNull(tensor);
                if (tensor.Name.Length == 0 || tensor.Name == MetadataKey || !names.Add(tensor.Name))
                    throw new ArgumentException($"Tensor name '{tensor.Name}' is empty, reserved or used twice.", nameof(tensors));
                long count = 1;
                foreach (int d in tensor.Shape)
                {
                    if (d < 0) throw new ArgumentException($"Tensor '{tensor.Name}' has a negative dimension.", nameof(tensors));
                    count *= d;
                }
                if (count != tensor.Values.Length)
                    throw new ArgumentException($"Tensor '{tensor.Name}' of shape [{string.Join(", ", tensor.Shape)}] needs {count} values, has {tensor.Values.Length}.", nameof(tensors));
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset += count * sizeof(float));
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Pad with spaces so the data starts 8-byte aligned (8 + header length is a multiple of 8).
        while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static (List<Entry> Entries, Dictionary<string, string> Metadata, long DataStart) ParseHeader(string path, byte[] bytes, long fileLength)
    {
        if (fileLength < 8) throw new CheckpointException(path, $"truncated: {fileLength} bytes, fewer than the 8-byte header length");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(0, 8));
        if (n > (ulong)(fileLength - 8))
            throw new CheckpointException(path, $"truncated or not a safetensors file: the header length {n} is beyond the file ({fileLength} bytes)");
        if (n > MaxHeaderBytes) throw new CheckpointException(path, $"the header length {n} is above the limit of {MaxHeaderBytes} bytes");
        if (n < 2 || bytes[8] != (byte)'{') throw new CheckpointException(path, "not a safetensors file: the header does not start with '{'");
        long dataStart = 8 + (long)n, dataLength = fileLength - dataStart;

        JsonDocument document;
        try { document = JsonDocument.Parse(bytes.AsMemory(8, (int)n)); }
        catch (JsonException e) { throw new CheckpointException(path, "invalid JSON header: " + e.Message, e); }
        catch (ArgumentException e) { throw new CheckpointException(path, "invalid JSON header: " + e.Message, e); }

        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(path, "invalid header: the JSON is not an object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name)) throw new CheckpointException(path, $"invalid header: '{property.Name}' appears twice");
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw new CheckpointException(path, "invalid header: __metadata__ is not an object");
                    foreach (var item in property.Value.EnumerateObject())
                    {
                        if (item.Value.ValueKind != JsonValueKind.String)
                            throw new CheckpointException(path, $"invalid header: metadata '{item.Name}' is not a string");
                        metadata[item.Name] = item.Value.GetString()!;
                    }
                    continue;
                }
                entries.Add(ParseEntry(path, property, dataLength));
            }
        }

        // The data must be exactly the tensors' bytes, back to back: no overlap, no hole, nothing after the last one.
        long expected = 0;
        string? previous = null;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin < expected)
                throw new CheckpointException(path, $"tensor '{entry.Name}' (bytes {entry.Begin}..{entry.End}) overlaps '{previous}' (which ends at {expected})");
            if (entry.Begin > expected)
                throw new CheckpointException(path, $"bytes {expected}..{entry.Begin} of the data belong to no tensor (before '{entry.Name}')");
            expected = entry.End;
            previous = entry.Name;
        }
        if (expected != dataLength)
            throw new CheckpointException(path, $"the data is {dataLength} bytes but the tensors cover {expected}: " +
                (expected < dataLength ? "trailing bytes after the last tensor" : "truncated"));
        return (entries.OrderBy(e => e.Begin).ToList(), metadata, dataStart);
    }

    private static Entry ParseEntry(string path, JsonProperty property, long dataLength)
    {
        string name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object) throw new CheckpointException(path, $"tensor '{name}': its entry is not an object");
        if (!value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
            throw new CheckpointException(path, $"tensor '{name}' has no dtype");
        if (dtype.GetString() != "F32")
            throw new CheckpointException(path, $"tensor '{name}' has dtype {dtype.GetString()}; only F32 (float32) is supported");
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new CheckpointException(path, $"tensor '{name}' has no shape");
        var shape = new int[shapeElement.GetArrayLength()];
        long count = 1;
        int i = 0;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int dim) || dim < 0)
                throw new CheckpointException(path, $"tensor '{name}' has an invalid shape {shapeElement.GetRawText()}");
            shape[i++] = dim;
            count *= dim;
            if (count > int.MaxValue) throw new CheckpointException(path, $"tensor '{name}' of shape {shapeElement.GetRawText()} is too large");
        }
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new CheckpointException(path, $"tensor '{name}' has no data_offsets [begin, end]");
        var begin = offsets[0];
        var end = offsets[1];
        if (begin.ValueKind != JsonValueKind.Number || end.ValueKind != JsonValueKind.Number ||
            !begin.TryGetInt64(out long b) || !end.TryGetInt64(out long e) || b < 0 || e < b)
            throw new CheckpointException(path, $"tensor '{name}' has invalid data_offsets {offsets.GetRawText()}");
        if (e > dataLength)
            throw new CheckpointException(path, $"tensor '{name}': data_offsets {offsets.GetRawText()} are out of range (the data is {dataLength} bytes; the file is truncated or corrupt)");
        if (e - b != count * sizeof(float))
            throw new CheckpointException(path, $"tensor '{name}': data_offsets {offsets.GetRawText()} span {e - b} bytes, but shape {Format(shape)} of F32 needs {count * sizeof(float)}");
        return new Entry(name, shape, b, e);
    }

    internal static string Format(ReadOnlySpan<int> shape)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++) text.Append(i == 0 ? "" : ", ").Append(shape[i]);
        return text.Append(']').ToString();
    }

    private static void Require(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new CheckpointException(path, "no such file");
    }

    private static byte[] ReadAll(string path)
    {
        Require(path);
        try { return File.ReadAllBytes(path); }
        catch (IOException e) { throw new CheckpointException(path, "cannot be read: " + e.Message, e); }
    }

    private static void WriteFloats(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian) { stream.Write(MemoryMarshal.AsBytes(values.AsSpan())); return; }
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        stream.Write(bytes);
    }

    private static float[] ToFloats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        if (BitConverter.IsLittleEndian) bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        else for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        return values;
    }
}
