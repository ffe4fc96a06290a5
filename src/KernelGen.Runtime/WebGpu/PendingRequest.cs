using System.Diagnostics;
using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// An asynchronous Dawn call (a buffer mapping, a work-done notice) whose Task is still open. The device's poller
/// checks its future; when Dawn's callback has run it calls <see cref="OnDone"/>, or <see cref="OnFailed"/> when
/// the device is lost, disposed or the wait times out. Both run under the device's lock and must not throw.
/// </summary>
internal sealed class PendingRequest(NativeRequest request, Future future, string what,
    Action<NativeRequest> onDone, Action<Exception> onFailed)
{
    public NativeRequest Request { get; } = request;

    public Future Future { get; } = future;

    /// <summary>The operation, for error messages.</summary>
    public string What { get; } = what;

    public Action<NativeRequest> OnDone { get; } = onDone;

    public Action<Exception> OnFailed { get; } = onFailed;

    public long Started { get; } = Stopwatch.GetTimestamp();
}

/// <summary>
/// The Task side of an asynchronous read or wait, with cancellation that never races the result: once the device
/// has <see cref="Claim"/>ed it, cancelling no longer applies; once cancelled, the device delivers nothing.
/// </summary>
internal sealed class AsyncCompletion
{
    private const int Pending = 0, Claimed = 1, Cancelled = 2;

    private readonly TaskCompletionSource source = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration registration;
    private int state;

    public AsyncCompletion(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled) return;
        registration = cancellationToken.Register(() =>
        {
            if (Interlocked.CompareExchange(ref state, Cancelled, Pending) == Pending) source.TrySetCanceled(cancellationToken);
        });
    }

    public Task Task => source.Task;

    /// <summary>True when the result may be delivered (not cancelled); from then on cancelling is ignored.</summary>
    public bool Claim() => Interlocked.CompareExchange(ref state, Claimed, Pending) == Pending;

    public void Succeed()
    {
        registration.Dispose();
        source.TrySetResult();
    }

    public void Fail(Exception exception)
    {
        registration.Dispose();
        if (Interlocked.Exchange(ref state, Claimed) != Cancelled) source.TrySetException(exception);
    }
}

/// <summary>The poll loop (an async method cannot live in the device's unsafe code).</summary>
internal static class RequestPoller
{
    public delegate bool PollOnce(out bool more);

    /// <summary>Calls <paramref name="poll"/> until nothing remains: spinning while answers come, then every millisecond.</summary>
    public static async Task RunAsync(PollOnce poll, int spinPolls)
    {
        int idlePolls = 0;
        while (true)
        {
            bool progressed = poll(out bool more);
            if (!more) return;
            idlePolls = progressed ? 0 : idlePolls + 1;
            if (idlePolls < spinPolls) Thread.Yield();
            else await Task.Delay(1).ConfigureAwait(false);
        }
    }
}
