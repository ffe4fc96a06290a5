using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// Host data for uploads recorded into a batch. A queue write would run before the batch's unsubmitted commands
/// (Dawn's queue orders writes before later submits), so an upload inside a batch is staged here and recorded as a
/// buffer-to-buffer copy, in order with the dispatches, and the batch stays one submit.
/// </summary>
/// <remarks>
/// Staging buffers are created mapped (no wait), filled at once (the caller's span may change right after the
/// call), and unmapped just before the command buffer is finished. They are released after the submit: Dawn keeps
/// them alive until the copies have run. Small uploads share 1 MiB chunks; a larger one gets a buffer of its own.
/// </remarks>
internal sealed unsafe class UploadArena(WebGpuDevice device)
{
    internal const int ChunkBytes = 1 << 20;

    private readonly List<nint> buffers = [];
    private nint current;
    private byte* mapped;
    private ulong used;
    private ulong capacity;

    /// <summary>Staging buffers of the commands recorded since the last <see cref="Release"/>.</summary>
    public int BufferCount => buffers.Count;

    /// <summary>Copies <paramref name="data"/> (a multiple of 4 bytes) into staging memory; returns where it went.</summary>
    public (nint Buffer, ulong Offset) Stage(ReadOnlySpan<byte> data)
    {
        ulong size = (ulong)data.Length;
        if (current == 0 || used + size > capacity) Open(Math.Max(size, ChunkBytes));
        data.CopyTo(new Span<byte>(mapped + used, data.Length));
        var placed = (current, used);
        used += size;
        return placed;
    }

    /// <summary>Unmaps the open chunk: call before the command buffer that copies from it is finished.</summary>
    public void Seal()
    {
        if (current == 0) return;
        WebGpuNative.BufferUnmap(current);
        current = 0;
        mapped = null;
        used = capacity = 0;
    }

    /// <summary>Drops every staging buffer (after the submit that reads them, or when the commands are abandoned).</summary>
    public void Release()
    {
        Seal();
        foreach (var buffer in buffers) WebGpuNative.BufferRelease(buffer);
        buffers.Clear();
    }

    private void Open(ulong size)
    {
        Seal();
        var descriptor = new BufferDescriptor
        {
            Label = StringView.Null,
            Usage = BufferUsage.CopySrc,
            Size = size,
            MappedAtCreation = 1,
        };
        var buffer = WebGpuNative.DeviceCreateBuffer(device.NativeDevice, &descriptor);
        buffers.Add(buffer);
        device.Sink.ThrowIfFailed($"Creating a {size}-byte staging buffer for an upload inside a batch");
        mapped = (byte*)WebGpuNative.BufferGetMappedRange(buffer, 0, (nuint)size);
        if (mapped == null)
            throw new WebGpuException($"The {size}-byte staging buffer for an upload inside a batch has no writable range.");
        current = buffer;
        capacity = size;
        used = 0;
    }
}
