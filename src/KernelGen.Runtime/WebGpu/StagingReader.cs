using System.Numerics;
using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// Reads device buffers back to the host: copy into a MapRead staging buffer, submit, map, copy out, unmap.
/// The staging buffer is kept and grown (up to <see cref="MaxStagingBytes"/>; larger reads go in pieces), since
/// training loops read back small results every step.
/// </summary>
internal sealed unsafe class StagingReader(nint device, nint queue, FutureWaiter waiter, DeviceErrorSink sink) : IDisposable
{
    /// <summary>The largest staging buffer kept; settable so tests can exercise reads in several pieces.</summary>
    internal static ulong MaxStagingBytes { get; set; } = 64 << 20;

    private nint staging;
    private ulong stagingSize;

    /// <summary>Copies bytes [<paramref name="byteOffset"/>, + destination.Length) of <paramref name="source"/>.</summary>
    public void Read(NativeBuffer source, long byteOffset, Span<byte> destination, string what)
    {
        var (start, end, skip) = AlignedRange(source, byteOffset, destination.Length);
        int written = 0;
        while (start < end)
        {
            ulong chunk = Math.Min(end - start, Math.Max(MaxStagingBytes, 4) & ~3UL);
            var mapped = CopyAndMap(source, start, chunk, what);
            try
            {
                int take = Math.Min(destination.Length - written, (int)chunk - skip);
                new ReadOnlySpan<byte>(mapped + skip, take).CopyTo(destination.Slice(written));
                written += take;
            }
            finally
            {
                WebGpuNative.BufferUnmap(staging);
            }
            start += chunk;
            skip = 0;
        }
    }

    /// <summary>
    /// The range of <paramref name="source"/> to copy for bytes [<paramref name="byteOffset"/>, + <paramref name="count"/>):
    /// copies need offsets and sizes in multiples of 4, so the enclosing 4-byte-aligned range (the native buffer's size
    /// is itself a multiple of 4); <c>Skip</c> bytes of it come before the ones asked for.
    /// </summary>
    public static (ulong Start, ulong End, int Skip) AlignedRange(NativeBuffer source, long byteOffset, int count)
    {
        ulong start = (ulong)byteOffset & ~3UL;
        ulong end = Math.Min(((ulong)byteOffset + (ulong)count + 3) & ~3UL, source.Size);
        return (start, end, (int)((ulong)byteOffset - start));
    }

    /// <summary>A new MapRead staging buffer of <paramref name="size"/> bytes; the caller releases it.</summary>
    public static nint CreateStaging(nint device, DeviceErrorSink sink, ulong size, string what)
    {
        var descriptor = new BufferDescriptor
        {
            Label = StringView.Null,
            Usage = BufferUsage.MapRead | BufferUsage.CopyDst,
            Size = size,
        };
        var staging = WebGpuNative.DeviceCreateBuffer(device, &descriptor);
        try
        {
            sink.ThrowIfFailed($"{what}: creating a {size}-byte staging buffer");
        }
        catch
        {
            WebGpuNative.BufferRelease(staging);
            throw;
        }
        return staging;
    }

    /// <summary>Submits a copy of bytes [<paramref name="offset"/>, + <paramref name="size"/>) of source into the start of staging.</summary>
    public static void SubmitCopy(nint device, nint queue, nint source, ulong offset, nint staging, ulong size)
    {
        var encoder = WebGpuNative.DeviceCreateCommandEncoder(device, null);
        WebGpuNative.CommandEncoderCopyBufferToBuffer(encoder, source, offset, staging, 0, size);
        var commands = WebGpuNative.CommandEncoderFinish(encoder, null);
        WebGpuNative.QueueSubmit(queue, 1, &commands);
        WebGpuNative.CommandBufferRelease(commands);
        WebGpuNative.CommandEncoderRelease(encoder);
    }

    private byte* CopyAndMap(NativeBuffer source, ulong offset, ulong size, string what)
    {
        EnsureStaging(size, what);
        SubmitCopy(device, queue, source.Handle, offset, staging, size);
        sink.ThrowIfFailed(what);

        using var request = new NativeRequest();
        var future = WebGpuNative.BufferMapAsync(staging, MapMode.Read, 0, (nuint)size, request.CallbackInfo(NativeCallbacks.BufferMap));
        waiter.Wait(future, request, what);
        if ((MapAsyncStatus)request.Status != MapAsyncStatus.Success)
        {
            sink.ThrowIfFailed(what);
            throw new WebGpuException($"{what}: mapping the staging buffer failed ({(MapAsyncStatus)request.Status}): {request.Message}");
        }
        var mapped = (byte*)WebGpuNative.BufferGetConstMappedRange(staging, 0, (nuint)size);
        if (mapped == null)
        {
            WebGpuNative.BufferUnmap(staging);
            throw new WebGpuException($"{what}: the mapped staging buffer has no readable range.");
        }
        return mapped;
    }

    private void EnsureStaging(ulong size, string what)
    {
        if (staging != 0 && stagingSize >= size) return;
        Dispose();
        // Powers of two from 4 KiB, so a series of growing reads does not reallocate every time; capped at
        // MaxStagingBytes (reads are cut into pieces of at most that size).
        ulong grown = Math.Max(size, Math.Min(BitOperations.RoundUpToPowerOf2(Math.Max(size, 4096)), MaxStagingBytes));
        staging = CreateStaging(device, sink, grown, what);
        stagingSize = grown;
    }

    public void Dispose()
    {
        if (staging == 0) return;
        WebGpuNative.BufferDestroy(staging);
        WebGpuNative.BufferRelease(staging);
        staging = 0;
        stagingSize = 0;
    }
}
