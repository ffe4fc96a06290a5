using System.Diagnostics;
using KernelGen.Native;

namespace KernelGen.WebGpu;

// Asynchronous waits and read-backs. Dawn's futures here are "wait any only": they complete when waited on. Instead
// of a thread blocked in a wait, one background loop per device polls the open futures with a zero timeout while any
// exist (briefly spinning, then every millisecond), under the device's lock like every native call, and completes
// their Tasks. It ends when nothing is pending.
internal sealed unsafe partial class WebGpuDevice
{
    /// <summary>Polls that find nothing done before the poller sleeps a millisecond between polls.</summary>
    private const int SpinPolls = 64;

    private readonly List<PendingRequest> pendingRequests = [];
    private bool polling;

    public override Task SynchronizeAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        const string what = "Waiting for the submitted work";
        var completion = new AsyncCompletion(cancellationToken);
        lock (gate)
        {
            ThrowIfDisposed();
            try
            {
                SubmitCallersBatch();
                Sink.ThrowIfLost(what);
                var request = new NativeRequest();
                var future = WebGpuNative.QueueOnSubmittedWorkDone(native.Queue, request.CallbackInfo(NativeCallbacks.QueueWorkDone));
                Track(new PendingRequest(request, future, what,
                    done =>
                    {
                        if (!completion.Claim()) return;
                        if ((RequestStatus)done.Status == RequestStatus.Success) completion.Succeed();
                        else completion.Fail(new WebGpuException($"{what} failed ({(RequestStatus)done.Status}): {done.Message}"));
                    },
                    completion.Fail));
            }
            catch (Exception e) when (e is WebGpuException)
            {
                completion.Fail(e);
            }
        }
        return completion.Task;
    }

    internal override Task ReadBackAsync(GpuBuffer buffer, int byteOffset, int byteCount, ByteSink deliver,
        CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        string what = $"Reading {byteCount} bytes back from {buffer}";
        var completion = new AsyncCompletion(cancellationToken);
        lock (gate)
        {
            var stored = Live(buffer, "Reading from");
            // Copies move whole 4-byte words: stage the enclosing aligned range, deliver the bytes asked for.
            ulong start = (ulong)byteOffset & ~3UL;
            ulong size = Math.Min(((ulong)byteOffset + (ulong)byteCount + 3) & ~3UL, stored.Size) - start;
            int skip = (int)((ulong)byteOffset - start);
            nint staging = 0;
            try
            {
                SubmitCallersBatch(); // the read sees what the caller's batch recorded before it
                staging = CreateReadStaging(size, what);
                var encoder = WebGpuNative.DeviceCreateCommandEncoder(native.Device, null);
                WebGpuNative.CommandEncoderCopyBufferToBuffer(encoder, stored.Handle, start, staging, 0, size);
                var commands = WebGpuNative.CommandEncoderFinish(encoder, null);
                WebGpuNative.QueueSubmit(native.Queue, 1, &commands);
                WebGpuNative.CommandBufferRelease(commands);
                WebGpuNative.CommandEncoderRelease(encoder);
                Sink.ThrowIfFailed(what);
                var request = new NativeRequest();
                var future = WebGpuNative.BufferMapAsync(staging, MapMode.Read, 0, (nuint)size, request.CallbackInfo(NativeCallbacks.BufferMap));
                nint mappedBuffer = staging;
                Track(new PendingRequest(request, future, what,
                    done => DeliverMapped(done, mappedBuffer, size, skip, byteCount, deliver, completion, what),
                    failure =>
                    {
                        WebGpuNative.BufferRelease(mappedBuffer);
                        completion.Fail(failure);
                    }));
            }
            catch (WebGpuException e)
            {
                if (staging != 0) WebGpuNative.BufferRelease(staging);
                completion.Fail(e);
            }
        }
        return completion.Task;
    }

    private nint CreateReadStaging(ulong size, string what)
    {
        var descriptor = new BufferDescriptor
        {
            Label = StringView.Null,
            Usage = BufferUsage.MapRead | BufferUsage.CopyDst,
            Size = size,
        };
        var staging = WebGpuNative.DeviceCreateBuffer(native.Device, &descriptor);
        try
        {
            Sink.ThrowIfFailed($"{what}: creating a {size}-byte staging buffer");
        }
        catch
        {
            WebGpuNative.BufferRelease(staging);
            throw;
        }
        return staging;
    }

    /// <summary>Runs under the lock once the mapping's callback has run: copy out (unless cancelled), unmap, release.</summary>
    private static void DeliverMapped(NativeRequest done, nint staging, ulong size, int skip, int byteCount, ByteSink deliver,
        AsyncCompletion completion, string what)
    {
        try
        {
            if ((MapAsyncStatus)done.Status != MapAsyncStatus.Success)
            {
                completion.Fail(new WebGpuException($"{what}: mapping the staging buffer failed ({(MapAsyncStatus)done.Status}): {done.Message}"));
                return;
            }
            var mapped = (byte*)WebGpuNative.BufferGetConstMappedRange(staging, 0, (nuint)size);
            if (mapped == null)
            {
                completion.Fail(new WebGpuException($"{what}: the mapped staging buffer has no readable range."));
            }
            else if (completion.Claim())
            {
                deliver(new ReadOnlySpan<byte>(mapped + skip, byteCount));
                completion.Succeed();
            }
            WebGpuNative.BufferUnmap(staging);
        }
        catch (Exception e)
        {
            completion.Fail(e);
        }
        finally
        {
            WebGpuNative.BufferRelease(staging);
        }
    }

    /// <summary>Adds a request to poll (under the lock) and starts the poller if it is not running.</summary>
    private void Track(PendingRequest request)
    {
        pendingRequests.Add(request);
        if (polling) return;
        polling = true;
        _ = Task.Run(PollAsync);
    }

    private Task PollAsync() => RequestPoller.RunAsync(PollOnce, SpinPolls);

    /// <summary>One pass over the open requests; false when none completed. <paramref name="more"/>: some remain.</summary>
    private bool PollOnce(out bool more)
    {
        bool progressed = false;
        lock (gate)
        {
            for (int i = pendingRequests.Count - 1; i >= 0; i--)
            {
                var pending = pendingRequests[i];
                Exception? failure = null;
                if (!pending.Request.Done && !IsDisposed)
                {
                    var info = new FutureWaitInfo { Future = pending.Future };
                    WebGpuNative.InstanceWaitAny(native.Instance, 1, &info, 0);
                }
                if (pending.Request.Done) { }
                else if (IsDisposed) failure = new ObjectDisposedException(Description, $"{pending.What}: the device was disposed.");
                else if (Sink.IsLost) failure = LostFailure(pending.What);
                else if (Stopwatch.GetElapsedTime(pending.Started) > FutureWaiter.Timeout)
                    failure = new WebGpuException($"{pending.What}: no answer from the WebGPU device after " +
                        $"{FutureWaiter.Timeout.TotalSeconds:0} s. The driver may be hung; dispose this device and open a new one.");
                else continue;

                pendingRequests.RemoveAt(i);
                progressed = true;
                if (failure == null)
                {
                    pending.OnDone(pending.Request);
                    pending.Request.Dispose();
                }
                else
                {
                    pending.OnFailed(failure);
                }
            }
            more = pendingRequests.Count > 0;
            if (!more) polling = false;
        }
        return progressed;
    }

    private WebGpuException LostFailure(string what)
    {
        try
        {
            Sink.ThrowIfLost(what);
        }
        catch (WebGpuException e)
        {
            return e;
        }
        return new WebGpuException($"{what}: the WebGPU device was lost.");
    }

    /// <summary>Fails every open request: the device is going away (called under the lock, before the release).</summary>
    private void FailPendingRequests()
    {
        foreach (var pending in pendingRequests)
            pending.OnFailed(new ObjectDisposedException(Description, $"{pending.What}: the device was disposed."));
        pendingRequests.Clear();
    }
}
