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
            var (start, end, skip) = StagingReader.AlignedRange(stored, byteOffset, byteCount);
            ulong size = end - start;
            nint staging = 0;
            try
            {
                SubmitCallersBatch(); // the read sees what the caller's batch recorded before it
                staging = StagingReader.CreateStaging(native.Device, Sink, size, what);
                StagingReader.SubmitCopy(native.Device, native.Queue, stored.Handle, start, staging, size);
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
                else if (Sink.LostFailure(pending.What) is { } lost) failure = lost;
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

    /// <summary>Fails every open request: the device is going away (called under the lock, before the release).</summary>
    private void FailPendingRequests()
    {
        foreach (var pending in pendingRequests)
            pending.OnFailed(new ObjectDisposedException(Description, $"{pending.What}: the device was disposed."));
        pendingRequests.Clear();
    }
}
