using System.Numerics;
using static KernelGen.Kernel;

namespace KernelGen.Generator.Tests.Kernels;

/// <summary>A uniform struct: Vector4 first, 32 bytes in C# and in WGSL.</summary>
public struct Transform
{
    public Vector4 Scale;
    public Vector2 Offset;
    public float Gain;
    public int Mode;
}

/// <summary>A uniform struct of scalars (8 bytes, aligned to 4): the uniform block places it at a multiple of 16.</summary>
public struct Window
{
    public int Start;
    public int Count;
}

/// <summary>
/// Kernels for compare-exchange atomics, the integer vectors' Min/Max/Clamp/Abs, the remaining math intrinsics and
/// structs passed by value (in the uniform block).
/// </summary>
public static partial class CompletionKernels
{
    /// <summary>
    /// Sums x into <c>buckets</c> float totals kept as bit patterns in a uint buffer: the lock-free float atomic add
    /// (read, add, compare-exchange; retry with the value another invocation stored in between).
    /// </summary>
    [ComputeKernel(64)]
    public static void FloatAtomicSum(ReadOnlyBuffer<float> x, ReadWriteBuffer<uint> sums, uint buckets, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        uint bucket = i % buckets;
        uint expected = sums[bucket];
        while (true)
        {
            uint updated = BitConverter.SingleToUInt32Bits(BitConverter.UInt32BitsToSingle(expected) + x[i]);
            uint seen = Atomic.CompareExchange(sums, bucket, updated, expected);
            if (seen == expected) break;
            expected = seen;
        }
    }

    /// <summary>First writer wins: each invocation tries to claim its key's slot (free = -1) and records what it saw.</summary>
    [ComputeKernel(64)]
    public static void ClaimSlots(ReadOnlyBuffer<int> keys, ReadWriteBuffer<int> owners, ReadWriteBuffer<int> seen, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        seen[i] = Atomic.CompareExchange(owners, (uint)keys[i], (int)i, -1);
    }

    /// <summary>Component-wise min, max, clamp and abs on the runtime's integer vectors.</summary>
    [ComputeKernel(64)]
    public static void LaneLimits(ReadOnlyBuffer<Int4> x, ReadOnlyBuffer<UInt2> u, ReadWriteBuffer<Int4> y, ReadWriteBuffer<UInt2> v,
        Int4 low, Int4 high, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        Int4 a = x[i];
        Int3 small = Int3.Min(new Int3(a.X, a.Y, a.Z), new Int3(a.W));
        y[i] = Int4.Clamp(a, low, high) + Int4.Abs(a) - Int4.Max(a, -a) + Int4.Min(a, low) + new Int4(small.X, small.Y, small.Z, Int2.Abs(new Int2(a.W, -a.X)).Y);
        UInt2 b = u[i];
        v[i] = UInt2.Clamp(b, new UInt2(10u), new UInt2(1000u)) + UInt2.Max(b, new UInt2(7u)) - UInt2.Min(b, new UInt2(5u, 50u));
    }

    /// <summary>exp2, sign, lerp, the inverse hyperbolics, ldexp, degrees, clamp and round on float; sign on int.</summary>
    [ComputeKernel(64)]
    public static void MoreMath(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, ReadWriteBuffer<float> rounded, ReadWriteBuffer<int> signs, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        float v = x[i];
        y[i] = float.Exp2(v) + float.Lerp(v, 1f, 0.25f) + MathF.Asinh(v) + MathF.Atanh(v / 16f) + MathF.ScaleB(v, 3) +
               float.DegreesToRadians(v) + float.Clamp(v, -1f, 1f) + float.Sqrt(MathF.Abs(v)) + MathF.Exp(v / 4f);
        // Halves round to even on both sides: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2.
        rounded[i] = MathF.Round(v);
        int whole = (int)MathF.Floor(v);
        signs[i] = MathF.Sign(v) + 10 * Math.Sign(whole) + 100 * int.Sign(-whole) + 1000 * BitConverter.SingleToInt32Bits(v) % 7;
    }

    /// <summary>
    /// The new intrinsics and integer-vector functions in a kernel with a barrier, which the CPU backend runs as phased
    /// workgroup code generated from the IR: each reads its mirror neighbour's input from workgroup memory.
    /// </summary>
    [ComputeKernel(64)]
    public static void MirrorMath(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> f, ReadWriteBuffer<int> ints, Int2 limits, uint n)
    {
        var tile = WorkgroupArray<float>(64);
        uint i = GlobalId.X;
        uint local = LocalIndex;
        tile[local] = i < n ? x[i] : 0f;
        WorkgroupBarrier();
        float mirror = tile[63u - local];
        if (i >= n) return;
        f[i] = float.Exp2(mirror) + float.Lerp(mirror, 1f, 0.5f) + MathF.Asinh(mirror);
        Int2 limited = Int2.Clamp(new Int2((int)mirror, -(int)mirror), new Int2(limits.X), new Int2(limits.Y));
        ints[i] = MathF.Sign(mirror) + 10 * Int2.Abs(limited).Y + 100 * limited.X + BitConverter.SingleToInt32Bits(mirror) % 1000;
    }

    /// <summary>
    /// Structs by value in the uniform block, between scalars: t starts at byte 16, w (8 bytes) at 48 and takes 16,
    /// so the next scalar is at 64. Elements outside w's window are copied unchanged.
    /// </summary>
    [ComputeKernel(64)]
    public static void ApplyTransform(ReadOnlyBuffer<Vector4> x, ReadWriteBuffer<Vector4> y, float before, Transform t, Window w, float after, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        if ((int)i < w.Start || (int)i >= w.Start + w.Count)
        {
            y[i] = x[i];
            return;
        }
        Vector4 shift = new Vector4(t.Offset.X, t.Offset.Y, before, 0f) * t.Gain;
        y[i] = x[i] * t.Scale + shift + (t.Mode == 1 ? Vector4.One : Vector4.Zero) * after;
    }
}
