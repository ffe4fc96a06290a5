using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelGen;

/// <summary>
/// A kernel parameter that the kernel only reads (WGSL <c>var&lt;storage, read&gt;</c>). It has no setter, so writing
/// to it does not compile. On the CPU backend it is a view over the buffer's host memory.
/// </summary>
public readonly struct ReadOnlyBuffer<T> where T : unmanaged
{
    private readonly T[] data;
    private readonly int offset; // a view of a GpuBufferView: elements [offset, offset + length) of data
    private readonly int length;
    // The whole array (no view): indexing checks the array's own length, which the JIT merges with its bounds check,
    // so the CPU backend's inner loops pay one check per access instead of a view's check plus address arithmetic.
    private readonly bool whole;

    /// <summary>Wraps an array, e.g. to call a kernel method directly from C#.</summary>
    public ReadOnlyBuffer(T[] data)
    {
        this.data = data ?? throw new ArgumentNullException(nameof(data));
        length = data.Length;
        whole = true;
    }

    /// <summary>Elements [<paramref name="offset"/>, + <paramref name="length"/>) of an array (the ranges were checked).</summary>
    internal ReadOnlyBuffer(T[] data, int offset, int length)
    {
        this.data = data;
        this.offset = offset;
        this.length = length;
        whole = offset == 0 && length == data.Length;
    }

    /// <summary>Number of elements (WGSL <c>arrayLength</c>).</summary>
    public uint Length => (uint)length;

    /// <summary>
    /// The elements as a span, for C# outside kernels. The CPU backend's generated loops of barrier-free kernels index
    /// through it: its base and length stay in registers, one bounds check per access (a failure there is named by
    /// running the workgroup again through the kernel's own method, which indexes through this type).
    /// </summary>
    public ReadOnlySpan<T> AsSpan() => new(data, offset, length);

    public T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => BufferIndex.Element(data, offset, length, whole, index);
    }

    public T this[uint index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => BufferIndex.Element(data, offset, length, whole, index);
    }
}

/// <summary>
/// A kernel parameter that the kernel reads and writes (WGSL <c>var&lt;storage, read_write&gt;</c>).
/// On the CPU backend it is a view over the buffer's host memory.
/// </summary>
public readonly struct ReadWriteBuffer<T> where T : unmanaged
{
    private readonly T[] data;
    private readonly int offset; // a view of a GpuBufferView: elements [offset, offset + length) of data
    private readonly int length;
    // The whole array (no view): indexing checks the array's own length, which the JIT merges with its bounds check,
    // so the CPU backend's inner loops pay one check per access instead of a view's check plus address arithmetic.
    private readonly bool whole;

    /// <summary>Wraps an array, e.g. to call a kernel method directly from C#.</summary>
    public ReadWriteBuffer(T[] data)
    {
        this.data = data ?? throw new ArgumentNullException(nameof(data));
        length = data.Length;
        whole = true;
    }

    /// <summary>Elements [<paramref name="offset"/>, + <paramref name="length"/>) of an array (the ranges were checked).</summary>
    internal ReadWriteBuffer(T[] data, int offset, int length)
    {
        this.data = data;
        this.offset = offset;
        this.length = length;
        whole = offset == 0 && length == data.Length;
    }

    /// <summary>Number of elements (WGSL <c>arrayLength</c>).</summary>
    public uint Length => (uint)length;

    /// <summary>
    /// The elements as a span, for C# outside kernels. The CPU backend's generated loops of barrier-free kernels index
    /// through it: its base and length stay in registers, one bounds check per access (a failure there is named by
    /// running the workgroup again through the kernel's own method, which indexes through this type).
    /// </summary>
    public Span<T> AsSpan() => new(data, offset, length);

    public T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => BufferIndex.Element(data, offset, length, whole, index);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => BufferIndex.Element(data, offset, length, whole, index) = value;
    }

    public T this[uint index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => BufferIndex.Element(data, offset, length, whole, index);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => BufferIndex.Element(data, offset, length, whole, index) = value;
    }

    /// <summary>A reference to one element, for the CPU bodies of <see cref="Atomic"/>.</summary>
    internal ref T ElementRef(uint index) => ref BufferIndex.Element(data, offset, length, whole, index);
}

/// <summary>Bounds checks with a message that names the index, the length and the invocation.</summary>
internal static class BufferIndex
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Check(int index, int length)
    {
        if ((uint)index >= (uint)length) Throw(index, length);
        return index;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Check(uint index, int length)
    {
        if (index >= (uint)length) Throw(index, length);
        return (int)index;
    }

    /// <summary>
    /// Element <paramref name="index"/> of a kernel argument. The whole array indexes through the array itself, with the
    /// check against its own length, which the JIT merges with its bounds check; a view checks its length and adds its
    /// offset.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T Element<T>(T[] data, int offset, int length, bool whole, int index)
    {
        if (whole) return ref data[Check(index, data.Length)];
        return ref At(data, offset, Check(index, length));
    }

    /// <inheritdoc cref="Element{T}(T[], int, int, bool, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T Element<T>(T[] data, int offset, int length, bool whole, uint index)
    {
        if (whole) return ref data[Check(index, data.Length)];
        return ref At(data, offset, Check(index, length));
    }

    /// <summary>
    /// The element at an index already checked against the view's length. The view's range lies inside the array
    /// (checked when the view was made), so the array's own bounds check would only repeat the view's: the hot loops
    /// of the CPU backend skip it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref T At<T>(T[] data, int offset, int checkedIndex) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(data), (nint)(uint)(offset + checkedIndex));

    private static void Throw(long index, int length)
    {
        var ids = Kernel.Current;
        throw new IndexOutOfRangeException(
            $"Buffer index {index} is out of range (length {length}) in invocation global id {ids.Global}. " +
            "On WebGPU this access would be clamped silently; guard the index in the kernel.");
    }
}
