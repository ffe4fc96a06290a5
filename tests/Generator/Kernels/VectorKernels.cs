using System.Numerics;
using static KernelGen.Kernel;

namespace KernelGen.Generator.Tests.Kernels;

/// <summary>System.Numerics vectors as WGSL vec2/vec4: buffers of Vector4 (vec4 loads), vector uniforms and math.</summary>
public static partial class VectorKernels
{
    /// <summary>Scales, shifts and mixes Vector4 elements, with dot, length, normalize, lerp and lane writes.</summary>
    [ComputeKernel(64)]
    public static void Shade(ReadOnlyBuffer<Vector4> x, ReadWriteBuffer<Vector4> y, ReadWriteBuffer<float> lengths,
        Vector4 scale, float bias, Vector2 range, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        Vector4 v = x[i] * scale + new Vector4(bias);
        v -= Vector4.One * 0.25f;
        Vector4 mixed = Vector4.Lerp(v, Vector4.Normalize(v + new Vector4(0.5f, 0f, 0f, 0f)), 0.3f);
        mixed = Vector4.Clamp(mixed, new Vector4(range.X), new Vector4(range.Y));
        mixed.W = Vector4.Dot(mixed, v);
        if (mixed == Vector4.Zero) mixed.X = 1f;
        y[i] = -mixed / 2f;
        lengths[i] = v.Length() + Vector2.Distance(range, new Vector2(mixed.X, mixed.Y)) + v.LengthSquared() * 0.01f;
    }

    /// <summary>Integer vectors: Int2 and UInt4 buffers and uniforms, componentwise arithmetic, lanes, equality.</summary>
    [ComputeKernel(64)]
    public static void CellHash(ReadOnlyBuffer<Int2> cells, ReadWriteBuffer<UInt4> hashes, Int2 offset, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        Int2 c = cells[i] + offset;
        c = c * 3 - new Int2(1, 2);
        Int2 q = c / 4 % new Int2(5);
        UInt4 h = new UInt4((uint)c.X, (uint)c.Y, (uint)(-q).X, GlobalId.X);
        if (q == new Int2(0)) h = h * 2u;
        hashes[i] = h + new UInt4(1u);
    }

    /// <summary>A local array of vectors accumulating four running sums per invocation.</summary>
    [ComputeKernel(32)]
    public static void RunningSums(ReadOnlyBuffer<Vector4> x, ReadWriteBuffer<Vector4> sums, uint rows, uint cols)
    {
        uint r = GlobalId.X;
        if (r >= rows) return;
        Span<Vector4> acc = stackalloc Vector4[2];
        for (uint c = 0; c < cols; c++)
        {
            acc[0] += x[r * cols + c];
            acc[1] = Vector4.Max(acc[1], x[r * cols + c]);
        }
        sums[r * 2u] = acc[0];
        sums[r * 2u + 1u] = acc[1];
    }
}
