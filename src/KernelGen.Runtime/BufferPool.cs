namespace KernelGen;

/// <summary>
/// Reuses <see cref="GpuBuffer{T}"/>s so a training loop creates no buffers once it is warm: each step rents its
/// temporaries and returns them, and the next step gets the same buffers back (and hits the device's cached bind
/// groups, which are keyed by buffer).
/// </summary>
/// <remarks>
/// <para><see cref="Rent{T}(int, bool)"/> gives a buffer of exactly the length asked for; <see cref="RentAtLeast{T}(int, bool)"/>
/// rounds up to a size class (powers of two with quarter steps between: at most 25% larger) so varying lengths
/// share buffers. A rented buffer holds whatever its last user left unless <c>zeroed</c> is true (a device-side
/// clear, recorded into the caller's open batch like a dispatch).</para>
/// <para>Returning a buffer while queued work still uses it is safe: the device runs work in submission order,
/// so the next renter's work comes after. Thread-safe. Disposing the pool disposes the buffers it holds;
/// buffers still rented are disposed when they come back.</para>
/// </remarks>
public sealed class BufferPool : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<(Type Type, int Length), Stack<GpuBuffer>> free = [];
    private readonly HashSet<GpuBuffer> rented = new(ReferenceEqualityComparer.Instance);
    private bool disposed;

    public BufferPool(ComputeDevice device, long maxRetainedBytes = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetainedBytes);
        Device = device;
        MaxRetainedBytes = maxRetainedBytes;
    }

    public ComputeDevice Device { get; }

    /// <summary>Returned buffers beyond this many bytes are disposed instead of kept.</summary>
    public long MaxRetainedBytes { get; }

    /// <summary>Bytes of the buffers waiting to be rented again.</summary>
    public long RetainedBytes { get; private set; }

    /// <summary>Buffers rented and not yet returned.</summary>
    public int RentedCount
    {
        get { lock (gate) return rented.Count; }
    }

    /// <summary>Buffers this pool has created (a warm loop keeps this constant).</summary>
    public long CreatedCount { get; private set; }

    /// <summary>Rents a buffer of exactly <paramref name="length"/> elements.</summary>
    public GpuBuffer<T> Rent<T>(int length, bool zeroed = false) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return RentExactly<T>(length, zeroed);
    }

    /// <summary>
    /// Rents a buffer of at least <paramref name="minLength"/> elements: its <see cref="GpuBuffer.Length"/> is
    /// <see cref="SizeClass"/>(<paramref name="minLength"/>), so pass the length you use to the kernel.
    /// </summary>
    public GpuBuffer<T> RentAtLeast<T>(int minLength, bool zeroed = false) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 1);
        return RentExactly<T>(SizeClass(minLength), zeroed);
    }

    /// <summary>A rented buffer that returns itself when disposed: <c>using var t = pool.Lease&lt;float&gt;(n);</c></summary>
    public Lease<T> LeaseBuffer<T>(int length, bool zeroed = false) where T : unmanaged => new(this, Rent<T>(length, zeroed));

    /// <summary>Gives a rented buffer back. Returning one twice, or one this pool did not rent, throws.</summary>
    public void Return(GpuBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        bool dispose;
        lock (gate)
        {
            if (!rented.Remove(buffer))
                throw new InvalidOperationException(
                    $"{buffer} is not rented from this pool (returned twice, or created elsewhere). Dispose it instead.");
            dispose = disposed || buffer.IsDisposed || buffer.Device.IsDisposed || RetainedBytes + buffer.ByteSize > MaxRetainedBytes;
            if (!dispose)
            {
                var key = (buffer.GetType(), buffer.Length);
                if (!free.TryGetValue(key, out var stack)) free[key] = stack = new Stack<GpuBuffer>();
                stack.Push(buffer);
                RetainedBytes += buffer.ByteSize;
            }
        }
        if (dispose) buffer.Dispose();
    }

    /// <summary>Disposes every buffer waiting to be rented (rented ones are untouched).</summary>
    public void Trim()
    {
        List<GpuBuffer> drop;
        lock (gate)
        {
            drop = free.Values.SelectMany(stack => stack).ToList();
            free.Clear();
            RetainedBytes = 0;
        }
        foreach (var buffer in drop) buffer.Dispose();
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
        }
        Trim();
    }

    /// <summary>
    /// The length <see cref="RentAtLeast{T}(int, bool)"/> gives for <paramref name="minLength"/>: at least 16, then
    /// the next of 2^k, 1.25 x 2^k, 1.5 x 2^k, 1.75 x 2^k.
    /// </summary>
    public static int SizeClass(int minLength)
    {
        if (minLength <= 16) return 16;
        int power = 1 << (31 - int.LeadingZeroCount(minLength)); // largest power of two <= minLength
        if (power == minLength) return power;
        long quarter = power / 4;
        for (long size = power + quarter; size <= 2L * power; size += quarter)
            if (size >= minLength) return (int)Math.Min(size, int.MaxValue);
        return int.MaxValue;
    }

    private GpuBuffer<T> RentExactly<T>(int length, bool zeroed) where T : unmanaged
    {
        GpuBuffer<T>? buffer = null;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (free.TryGetValue((typeof(GpuBuffer<T>), length), out var stack))
            {
                while (buffer == null && stack.TryPop(out var candidate))
                {
                    RetainedBytes -= candidate.ByteSize;
                    if (!candidate.IsDisposed) buffer = (GpuBuffer<T>)candidate;
                }
            }
            if (buffer != null) rented.Add(buffer);
        }
        if (buffer == null)
        {
            buffer = Device.CreateBuffer<T>(length);
            lock (gate)
            {
                CreatedCount++;
                rented.Add(buffer);
            }
        }
        if (zeroed) Device.Clear(buffer);
        return buffer;
    }

    public override string ToString() =>
        $"BufferPool on {Device.Backend}: {RentedCount} rented, {RetainedBytes} bytes kept, {CreatedCount} created";

    /// <summary>A rented buffer that goes back to its pool when disposed (once; a second dispose does nothing).</summary>
    public sealed class Lease<T> : IDisposable where T : unmanaged
    {
        private readonly BufferPool pool;
        private int returned;

        internal Lease(BufferPool pool, GpuBuffer<T> buffer)
        {
            this.pool = pool;
            Buffer = buffer;
        }

        public GpuBuffer<T> Buffer { get; }

        public static implicit operator GpuBuffer<T>(Lease<T> lease) => lease.Buffer;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref returned, 1) == 0) pool.Return(Buffer);
        }
    }
}
