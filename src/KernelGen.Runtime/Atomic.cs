using System.Runtime.CompilerServices;

namespace KernelGen;

/// <summary>
/// Atomic read-modify-write operations on elements of a <see cref="ReadWriteBuffer{T}"/> of int or uint. Each returns
/// the element's previous value. A buffer used with any of them is declared <c>array&lt;atomic&lt;T&gt;&gt;</c> in WGSL,
/// so the kernel's plain reads and writes of it become <c>atomicLoad</c>/<c>atomicStore</c>.
/// </summary>
public static class Atomic
{
    public static int Add(ReadWriteBuffer<int> buffer, uint index, int value) => Interlocked.Add(ref buffer.ElementRef(index), value) - value;

    public static uint Add(ReadWriteBuffer<uint> buffer, uint index, uint value) => Interlocked.Add(ref buffer.ElementRef(index), value) - value;

    public static int Exchange(ReadWriteBuffer<int> buffer, uint index, int value) => Interlocked.Exchange(ref buffer.ElementRef(index), value);

    public static uint Exchange(ReadWriteBuffer<uint> buffer, uint index, uint value) => Interlocked.Exchange(ref buffer.ElementRef(index), value);

    public static int And(ReadWriteBuffer<int> buffer, uint index, int value) => Interlocked.And(ref buffer.ElementRef(index), value);

    public static uint And(ReadWriteBuffer<uint> buffer, uint index, uint value) => Interlocked.And(ref buffer.ElementRef(index), value);

    public static int Or(ReadWriteBuffer<int> buffer, uint index, int value) => Interlocked.Or(ref buffer.ElementRef(index), value);

    public static uint Or(ReadWriteBuffer<uint> buffer, uint index, uint value) => Interlocked.Or(ref buffer.ElementRef(index), value);

    public static int Min(ReadWriteBuffer<int> buffer, uint index, int value) => Update(ref buffer.ElementRef(index), value, Math.Min);

    public static uint Min(ReadWriteBuffer<uint> buffer, uint index, uint value) => Update(ref buffer.ElementRef(index), value, Math.Min);

    public static int Max(ReadWriteBuffer<int> buffer, uint index, int value) => Update(ref buffer.ElementRef(index), value, Math.Max);

    public static uint Max(ReadWriteBuffer<uint> buffer, uint index, uint value) => Update(ref buffer.ElementRef(index), value, Math.Max);

    /// <summary>
    /// Stores <paramref name="value"/> in the element when it equals <paramref name="comparand"/>, and returns the element's
    /// previous value either way (the strong compare-exchange of <see cref="Interlocked.CompareExchange(ref int, int, int)"/>:
    /// it never fails spuriously). On WebGPU it is a loop around WGSL's weak <c>atomicCompareExchangeWeak</c> that retries
    /// only while the exchange failed although the element held the comparand.
    /// </summary>
    public static int CompareExchange(ReadWriteBuffer<int> buffer, uint index, int value, int comparand) =>
        Interlocked.CompareExchange(ref buffer.ElementRef(index), value, comparand);

    /// <inheritdoc cref="CompareExchange(ReadWriteBuffer{int}, uint, int, int)"/>
    public static uint CompareExchange(ReadWriteBuffer<uint> buffer, uint index, uint value, uint comparand) =>
        Interlocked.CompareExchange(ref buffer.ElementRef(index), value, comparand);

    // Interlocked has no min/max: compare-and-swap until no other invocation changed the element in between.
    private static T Update<T>(ref T location, T value, Func<T, T, T> combine) where T : unmanaged, IEquatable<T>
    {
        while (true)
        {
            T old = location; // a stale read only costs one more turn: the compare-exchange checks it
            T updated = combine(old, value);
            if (updated.Equals(old) || CompareExchange(ref location, updated, old).Equals(old)) return old;
        }
    }

    private static T CompareExchange<T>(ref T location, T value, T comparand) where T : unmanaged =>
        typeof(T) == typeof(int)
            ? (T)(object)Interlocked.CompareExchange(ref Unsafe.As<T, int>(ref location), (int)(object)value, (int)(object)comparand)
            : (T)(object)Interlocked.CompareExchange(ref Unsafe.As<T, uint>(ref location), (uint)(object)value, (uint)(object)comparand);
}
