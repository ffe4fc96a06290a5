using System.Runtime.InteropServices;

namespace KernelGen;

/// <summary>
/// A buffer owned by a <see cref="ComputeDevice"/>, untyped view. Kernels take <see cref="GpuBuffer{T}"/>; this base
/// lets the runtime handle a kernel's buffers as one list.
/// </summary>
public abstract class GpuBuffer : IDisposable
{
    private protected GpuBuffer(ComputeDevice device, int length, int elementSize)
    {
        Device = device;
        Length = length;
        ElementSize = elementSize;
    }

    public ComputeDevice Device { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    public int ElementSize { get; }

    public long ByteSize => (long)Length * ElementSize;

    public bool IsDisposed { get; private set; }

    /// <summary>The element type's C# name, for error messages.</summary>
    public abstract string ElementTypeName { get; }

    /// <summary>Backend-specific storage: a native buffer handle on WebGPU, an array on the CPU backend.</summary>
    internal object Storage { get; private protected set; } = null!;

    internal void ThrowIfDisposed()
    {
        if (IsDisposed)
            throw new ObjectDisposedException(ToString(), "This buffer was disposed; create a new one.");
    }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Device.Release(this);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A buffer nobody disposed gives its native memory back when collected. Release takes the device's lock, so it
    /// is safe on the finalizer thread; a disposed device has freed the memory already.
    /// </summary>
    ~GpuBuffer()
    {
        if (IsDisposed || Device.IsDisposed || Storage is null) return;
        IsDisposed = true;
        Device.Release(this);
    }

    public override string ToString() => $"GpuBuffer<{ElementTypeName}>[{Length}] on {Device.Backend}";
}

/// <summary>A typed buffer of <typeparamref name="T"/> elements on a <see cref="ComputeDevice"/>.</summary>
public sealed partial class GpuBuffer<T> : GpuBuffer where T : unmanaged
{
    internal GpuBuffer(ComputeDevice device, int length) : base(device, length, Marshal.SizeOf<T>())
    {
        Storage = device.Allocate(this);
    }

    public override string ElementTypeName => typeof(T).Name;

    /// <summary>Copies <paramref name="data"/> into the buffer, starting at element <paramref name="offset"/>.</summary>
    public void Upload(ReadOnlySpan<T> data, int offset = 0)
    {
        ThrowIfDisposed();
        CheckRange(offset, data.Length);
        Device.Write(this, offset * ElementSize, MemoryMarshal.AsBytes(data));
    }

    /// <summary>Copies the whole buffer back to the host (waits for the work that writes it).</summary>
    public T[] Read()
    {
        var result = new T[Length];
        ReadInto(result);
        return result;
    }

    /// <summary>Copies <c>destination.Length</c> elements, starting at element <paramref name="offset"/>, to the host.</summary>
    public void ReadInto(Span<T> destination, int offset = 0)
    {
        ThrowIfDisposed();
        CheckRange(offset, destination.Length);
        Device.ReadBack(this, offset * ElementSize, MemoryMarshal.AsBytes(destination));
    }

    /// <summary>
    /// Elements [<paramref name="offset"/>, + <paramref name="length"/>) as a view: kernels' stubs take it wherever
    /// they take this buffer, and the kernel sees only those elements. See <see cref="GpuBufferView{T}"/>.
    /// </summary>
    public GpuBufferView<T> Slice(int offset, int length)
    {
        ThrowIfDisposed();
        CheckRange(offset, length);
        return new GpuBufferView<T>(this, offset, length);
    }

    /// <summary>Elements from <paramref name="offset"/> to the end, as a view.</summary>
    public GpuBufferView<T> Slice(int offset) => Slice(offset, Length - offset);

    /// <summary>The CPU backend's view of this buffer as a read-only kernel argument.</summary>
    public ReadOnlyBuffer<T> AsReadOnly() => new(HostArray());

    /// <summary>The CPU backend's view of this buffer as a read-write kernel argument.</summary>
    public ReadWriteBuffer<T> AsReadWrite() => new(HostArray());

    internal T[] HostArray()
    {
        ThrowIfDisposed();
        return Storage as T[] ?? throw new InvalidOperationException(
            $"{this} lives on {Device.Backend}; only buffers of the CPU backend can be viewed from C# directly. Use Read().");
    }

    private void CheckRange(int offset, int count)
    {
        if (offset < 0 || count < 0 || (long)offset + count > Length)
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"Elements [{offset}, {(long)offset + count}) do not fit in {this} (length {Length}).");
    }
}
