using System.Runtime.CompilerServices;

namespace KernelGen;

/// <summary>
/// Elements [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Length"/>) of a <see cref="GpuBuffer{T}"/>,
/// made with <see cref="GpuBuffer{T}.Slice"/>. A generated stub's <c>Dispatch</c> takes a view wherever it takes a
/// buffer (a <see cref="GpuBuffer{T}"/> converts to the view of all of it), and the kernel sees only the view: its
/// index 0 is the view's first element and <c>Length</c> (WGSL <c>arrayLength</c>) is the view's length.
/// </summary>
/// <remarks>
/// On WebGPU a view that a kernel binds must start at a byte offset that is a multiple of the device's
/// <see cref="ComputeDevice.StorageOffsetAlignment"/> (256 bytes on most adapters, and on the CPU backend, so code
/// that runs there runs on any GPU), and, unless it reaches the end of its buffer, cover a multiple of 4 bytes.
/// Uploads, read-backs and copies take views at any element offset.
/// </remarks>
public readonly struct GpuBufferView<T> : IEquatable<GpuBufferView<T>> where T : unmanaged
{
    internal GpuBufferView(GpuBuffer<T> buffer, int offset, int length)
    {
        Buffer = buffer;
        Offset = offset;
        Length = length;
    }

    /// <summary>The buffer this is a view of (null only for a default value or a view of a null buffer).</summary>
    public GpuBuffer<T> Buffer { get; }

    /// <summary>The first element of the view, in elements from the start of <see cref="Buffer"/>.</summary>
    public int Offset { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The view's size in bytes.</summary>
    public long ByteSize => (long)Length * Unsafe.SizeOf<T>();

    /// <summary>The view of all of <paramref name="buffer"/>; a null buffer gives a view a dispatch refuses as null.</summary>
    public static implicit operator GpuBufferView<T>(GpuBuffer<T>? buffer) =>
        buffer is null ? default : new(buffer, 0, buffer.Length);

    /// <summary>The untyped form the runtime checks and binds.</summary>
    public static implicit operator GpuBufferView(GpuBufferView<T> view) => new(view.Buffer, view.Offset, view.Length);

    /// <summary>Elements [<paramref name="offset"/>, + <paramref name="length"/>) of this view.</summary>
    public GpuBufferView<T> Slice(int offset, int length)
    {
        var buffer = RequireBuffer();
        CheckRange(offset, length);
        return new(buffer, Offset + offset, length);
    }

    /// <summary>Elements from <paramref name="offset"/> to the end of this view.</summary>
    public GpuBufferView<T> Slice(int offset) => Slice(offset, Length - offset);

    /// <summary>Copies <paramref name="data"/> into the view, starting at the view's element <paramref name="offset"/>.</summary>
    public void Upload(ReadOnlySpan<T> data, int offset = 0)
    {
        var buffer = RequireBuffer();
        CheckRange(offset, data.Length);
        buffer.Upload(data, Offset + offset);
    }

    /// <summary>Copies the view's elements back to the host (waits for the work that writes them).</summary>
    public T[] Read()
    {
        var result = new T[Length];
        ReadInto(result);
        return result;
    }

    /// <summary>Copies <c>destination.Length</c> elements, from the view's element <paramref name="offset"/>, to the host.</summary>
    public void ReadInto(Span<T> destination, int offset = 0)
    {
        var buffer = RequireBuffer();
        CheckRange(offset, destination.Length);
        buffer.ReadInto(destination, Offset + offset);
    }

    /// <summary>The view's elements, read back without blocking a thread (see <see cref="GpuBuffer{T}.ReadAsync"/>).</summary>
    public Task<T[]> ReadAsync(CancellationToken cancellationToken = default)
    {
        var result = new T[Length];
        var read = ReadIntoAsync(result, 0, cancellationToken);
        return read.IsCompletedSuccessfully ? Task.FromResult(result) : Then(read, result);

        static async Task<T[]> Then(Task read, T[] result)
        {
            await read.ConfigureAwait(false);
            return result;
        }
    }

    /// <summary>Copies <c>destination.Length</c> elements, from the view's element <paramref name="offset"/>, asynchronously.</summary>
    public Task ReadIntoAsync(Memory<T> destination, int offset = 0, CancellationToken cancellationToken = default)
    {
        var buffer = RequireBuffer();
        CheckRange(offset, destination.Length);
        return buffer.ReadIntoAsync(destination, Offset + offset, cancellationToken);
    }

    /// <summary>The CPU backend's view of these elements as a read-only kernel argument.</summary>
    public ReadOnlyBuffer<T> AsReadOnly() => new(RequireBuffer().HostArray(), Offset, Length);

    /// <summary>The CPU backend's view of these elements as a read-write kernel argument.</summary>
    public ReadWriteBuffer<T> AsReadWrite() => new(RequireBuffer().HostArray(), Offset, Length);

    private GpuBuffer<T> RequireBuffer() =>
        Buffer ?? throw new InvalidOperationException("This view has no buffer (a default GpuBufferView).");

    private void CheckRange(int offset, int count)
    {
        if (offset < 0 || count < 0 || (long)offset + count > Length)
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"Elements [{offset}, {(long)offset + count}) do not fit in {this} (length {Length}).");
    }

    public bool Equals(GpuBufferView<T> other) => ReferenceEquals(Buffer, other.Buffer) && Offset == other.Offset && Length == other.Length;

    public override bool Equals(object? obj) => obj is GpuBufferView<T> other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Buffer, Offset, Length);

    public static bool operator ==(GpuBufferView<T> left, GpuBufferView<T> right) => left.Equals(right);

    public static bool operator !=(GpuBufferView<T> left, GpuBufferView<T> right) => !left.Equals(right);

    public override string ToString() => Buffer is null ? $"GpuBufferView<{typeof(T).Name}> (no buffer)" : new GpuBufferView(Buffer, Offset, Length).ToString();
}

/// <summary>
/// A kernel binding as the runtime checks and binds it: a buffer and a range of its elements. Generated stubs make
/// these from their <see cref="GpuBufferView{T}"/> parameters; user code uses the typed views.
/// </summary>
public readonly struct GpuBufferView
{
    internal GpuBufferView(GpuBuffer? buffer, int offset, int length)
    {
        Buffer = buffer;
        Offset = offset;
        Length = length;
    }

    public GpuBuffer? Buffer { get; }

    /// <summary>The first element, in elements from the start of <see cref="Buffer"/>.</summary>
    public int Offset { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Whether this covers all of its buffer (then it binds exactly as the buffer itself).</summary>
    public bool IsWhole => Buffer is not null && Offset == 0 && Length == Buffer.Length;

    internal long ByteOffset => (long)Offset * Buffer!.ElementSize;

    internal long ByteSize => (long)Length * Buffer!.ElementSize;

    /// <summary>The view of all of <paramref name="buffer"/> (null stays a view without a buffer).</summary>
    internal static GpuBufferView Of(GpuBuffer? buffer) => buffer is null ? default : new(buffer, 0, buffer.Length);

    public override string ToString() =>
        Buffer is null ? "GpuBufferView (no buffer)"
        : IsWhole ? Buffer.ToString()
        : $"GpuBuffer<{Buffer.ElementTypeName}>[{Offset}..{(long)Offset + Length}] (of {Buffer.Length}) on {Buffer.Device.Backend}";
}

/// <summary>
/// Room for the views of a call that passes plain buffers (the <see cref="GpuBuffer"/> overloads of
/// <see cref="KernelLaunch.Validate(KernelInfo, ComputeDevice, Grid, ReadOnlySpan{GpuBuffer}, ReadOnlySpan{string})"/>
/// and <see cref="ComputeDevice.Dispatch(KernelInfo, Grid, ReadOnlySpan{GpuBuffer}, ReadOnlySpan{byte})"/>) without
/// an allocation for up to 8 of them.
/// </summary>
[InlineArray(8)]
internal struct EightViews
{
    private GpuBufferView first;

    /// <summary>The views of <paramref name="buffers"/>, in <paramref name="room"/> when they fit.</summary>
    public static ReadOnlySpan<GpuBufferView> Of(ReadOnlySpan<GpuBuffer> buffers, Span<GpuBufferView> room)
    {
        var views = buffers.Length <= room.Length ? room[..buffers.Length] : new GpuBufferView[buffers.Length];
        for (int i = 0; i < buffers.Length; i++) views[i] = GpuBufferView.Of(buffers[i]);
        return views;
    }
}
