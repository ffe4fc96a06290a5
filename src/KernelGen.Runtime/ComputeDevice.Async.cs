namespace KernelGen;

/// <summary>Receives the bytes of an asynchronous read-back, on whichever thread completes it.</summary>
internal delegate void ByteSink(ReadOnlySpan<byte> bytes);

// The Task forms of opening, waiting and reading back. On WebGPU, waiting and reading are truly asynchronous: the
// device polls Dawn's futures in the background and no thread blocks. The CPU backend completes them at once.
public abstract partial class ComputeDevice
{
    /// <summary>
    /// <see cref="OpenWebGpu"/> on the thread pool. Dawn answers adapter and device requests within its own wait, so
    /// opening is a blocking call; this form keeps it off a UI or request thread.
    /// </summary>
    public static Task<ComputeDevice> OpenWebGpuAsync(WebGpuOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => OpenWebGpu(options), cancellationToken);

    /// <summary><see cref="Open"/> (WebGPU, else the CPU backend) on the thread pool.</summary>
    public static Task<ComputeDevice> OpenAsync(TextWriter? log = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Open(log), cancellationToken);

    /// <summary>
    /// Completes when every dispatch submitted so far has finished, without blocking a thread. Like
    /// <see cref="Synchronize"/>, it first submits what the calling thread's open batch recorded. Cancelling stops
    /// the wait, not the work.
    /// </summary>
    public virtual Task SynchronizeAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        Synchronize();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reads <paramref name="byteCount"/> bytes from <paramref name="byteOffset"/> and hands them to
    /// <paramref name="deliver"/> before the task completes. The default (CPU backend) reads at once.
    /// </summary>
    internal virtual Task ReadBackAsync(GpuBuffer buffer, int byteOffset, int byteCount, ByteSink deliver,
        CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        var bytes = GC.AllocateUninitializedArray<byte>(byteCount);
        ReadBack(buffer, byteOffset, bytes);
        deliver(bytes);
        return Task.CompletedTask;
    }
}
