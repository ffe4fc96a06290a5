using System.Runtime.CompilerServices;

namespace KernelGen;

/// <summary>
/// An array in workgroup memory, shared by the invocations of one workgroup (see <see cref="Kernel.WorkgroupArray{T}"/>).
/// On the CPU backend it is a view over the workgroup's own array.
/// </summary>
public readonly struct WorkgroupArray<T> where T : unmanaged
{
    private readonly T[] data;

    internal WorkgroupArray(T[] data) => this.data = data;

    public int Length => data.Length;

    public T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => data[BufferIndex.Check(index, data.Length)];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => data[BufferIndex.Check(index, data.Length)] = value;
    }

    public T this[uint index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => data[BufferIndex.Check(index, data.Length)];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => data[BufferIndex.Check(index, data.Length)] = value;
    }
}
