using System.Runtime.InteropServices;

namespace KernelGen;

// Asynchronous read-back: awaitable forms of Read and ReadInto. Argument and disposal errors throw at the call;
// what happens on the device (loss, a failed mapping, the device disposed meanwhile) faults the task.
public sealed partial class GpuBuffer<T>
{
    /// <summary>
    /// Copies the whole buffer back to the host once the work that writes it has finished, without blocking a
    /// thread meanwhile (the read is ordered after everything submitted before, and after what the calling thread's
    /// open batch recorded, which it submits).
    /// </summary>
    public Task<T[]> ReadAsync(CancellationToken cancellationToken = default) =>
        new GpuBufferView<T>(this, 0, Length).ReadAsync(cancellationToken);

    /// <summary>
    /// Copies <c>destination.Length</c> elements, starting at element <paramref name="offset"/>, to the host
    /// asynchronously. <paramref name="destination"/> is written only if the task completes successfully; a
    /// cancelled read never writes it.
    /// </summary>
    public Task ReadIntoAsync(Memory<T> destination, int offset = 0, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckRange(offset, destination.Length);
        if (destination.IsEmpty) return Task.CompletedTask;
        return Device.ReadBackAsync(this, offset * ElementSize, destination.Length * ElementSize,
            bytes => bytes.CopyTo(MemoryMarshal.AsBytes(destination.Span)), cancellationToken);
    }
}
