using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// Timestamp queries for one recorder: a query set with two queries per dispatch (start and end of its compute
/// pass), a buffer they are resolved into (Dawn converts ticks to nanoseconds there) and a mappable copy to read.
/// </summary>
internal sealed unsafe class GpuTimer : IDisposable
{
    /// <summary>Dispatches timed per submit: WebGPU caps a query set at 4096 queries.</summary>
    public const int Capacity = 2048;

    private readonly nint querySet;
    private readonly nint resolved;
    private readonly nint readable;
    private bool disposed;

    public GpuTimer(nint device, DeviceErrorSink sink)
    {
        var descriptor = new QuerySetDescriptor { Label = StringView.Null, Type = QueryType.Timestamp, Count = 2 * Capacity };
        querySet = WebGpuNative.DeviceCreateQuerySet(device, &descriptor);
        var bytes = (ulong)(2 * Capacity * sizeof(ulong));
        var resolveDescriptor = new BufferDescriptor { Label = StringView.Null, Usage = BufferUsage.QueryResolve | BufferUsage.CopySrc, Size = bytes };
        resolved = WebGpuNative.DeviceCreateBuffer(device, &resolveDescriptor);
        var readDescriptor = new BufferDescriptor { Label = StringView.Null, Usage = BufferUsage.MapRead | BufferUsage.CopyDst, Size = bytes };
        readable = WebGpuNative.DeviceCreateBuffer(device, &readDescriptor);
        try
        {
            sink.ThrowIfFailed("Creating the timestamp query set");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The writes of dispatch <paramref name="index"/>: queries 2i (pass start) and 2i+1 (pass end).</summary>
    public PassTimestampWrites WritesFor(int index) => new()
    {
        QuerySet = querySet,
        BeginningOfPassWriteIndex = (uint)(2 * index),
        EndOfPassWriteIndex = (uint)(2 * index + 1),
    };

    /// <summary>Records the resolve of the first <paramref name="count"/> dispatches' queries and their copy to the readable buffer.</summary>
    public void EncodeResolve(nint encoder, int count)
    {
        WebGpuNative.CommandEncoderResolveQuerySet(encoder, querySet, 0, (uint)(2 * count), resolved, 0);
        WebGpuNative.CommandEncoderCopyBufferToBuffer(encoder, resolved, 0, readable, 0, (ulong)(2 * count * sizeof(ulong)));
    }

    /// <summary>Waits for the submitted resolve and returns each dispatch's end minus start, in nanoseconds.</summary>
    public long[] Read(int count, FutureWaiter waiter, DeviceErrorSink sink)
    {
        var size = (nuint)(2 * count * sizeof(ulong));
        using var request = new NativeRequest();
        var future = WebGpuNative.BufferMapAsync(readable, MapMode.Read, 0, size, request.CallbackInfo(NativeCallbacks.BufferMap));
        waiter.Wait(future, request, "Reading the timestamp queries");
        if ((MapAsyncStatus)request.Status != MapAsyncStatus.Success)
        {
            sink.ThrowIfFailed("Reading the timestamp queries");
            throw new WebGpuException($"Reading the timestamp queries failed ({(MapAsyncStatus)request.Status}): {request.Message}");
        }
        try
        {
            var ticks = (ulong*)WebGpuNative.BufferGetConstMappedRange(readable, 0, size);
            if (ticks == null) throw new WebGpuException("Reading the timestamp queries: the mapped buffer has no readable range.");
            var result = new long[count];
            for (int i = 0; i < count; i++)
            {
                ulong start = ticks[2 * i], end = ticks[2 * i + 1];
                result[i] = end >= start ? (long)(end - start) : 0;
            }
            return result;
        }
        finally
        {
            WebGpuNative.BufferUnmap(readable);
        }
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (querySet != 0)
        {
            WebGpuNative.QuerySetDestroy(querySet);
            WebGpuNative.QuerySetRelease(querySet);
        }
        foreach (var buffer in (ReadOnlySpan<nint>)[resolved, readable])
        {
            if (buffer == 0) continue;
            WebGpuNative.BufferDestroy(buffer);
            WebGpuNative.BufferRelease(buffer);
        }
    }
}
