using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// Fused scaled dot-product attention, O = softmax(scale * Q K^T [+ causal mask]) V, over [batchHeads, time, headDim]
/// tensors (heads split, see <see cref="Ops.SplitHeads"/>), that never materialises the [time, time] score matrix:
/// each invocation owns one query row and streams over the keys with an online softmax (running maximum m, running
/// sum l, and the output accumulator rescaled by exp(m_old - m_new) whenever the maximum grows). The forward saves
/// each row's log-sum-exp for the backward pass, which recomputes the scores (FlashAttention-2's scheme): one kernel
/// for dQ (an invocation per query row) and one for dK and dV (an invocation per key row), so no two invocations
/// add into the same element and no float atomics are needed.
/// </summary>
/// <remarks>
/// The batch-head index is the workgroup's Y, so all 64 invocations of a workgroup read the same key (or query)
/// row at the same step: a uniform load, broadcast to every lane on lavapipe. The head dimension is a compile-time
/// specialisation (<see cref="HeadDims"/>): one WGSL module per value, each with exactly sized arrays.
/// </remarks>
public static partial class AttentionKernels
{
    /// <summary>The largest head dimension the fused kernels accept.</summary>
    public const int MaxHeadDim = 64;

    /// <summary>
    /// The head dimensions the fused kernels are compiled for: <c>dim</c> is a specialisation constant, so the
    /// per-invocation arrays have exactly that length and the loops over it have constant trip counts (unrolled,
    /// kept in registers).
    /// </summary>
    public static readonly int[] HeadDims = [1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24, 32, 48, 64];

    /// <summary>Query (or key) rows per workgroup.</summary>
    public const int GroupSize = 64;

    /// <summary>
    /// o[bh, i, :] and lse[bh, i] = log sum_j exp(s_ij) for s_ij = scale * q_i · k_j (j &lt;= i when causal).
    /// Launch (queryLength, batchHeads).
    /// </summary>
    [ComputeKernel(GroupSize)]
    public static void Forward(ReadOnlyBuffer<float> q, ReadOnlyBuffer<float> k, ReadOnlyBuffer<float> v, ReadWriteBuffer<float> o,
        ReadWriteBuffer<float> lse, uint queryLength, uint keyLength, [Specialize(1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24, 32, 48, 64)] int dim, float scale, bool causal)
    {
        uint bh = WorkgroupId.Y;
        uint i = GlobalId.X;
        // The key loop's bound is the same for the whole workgroup (its last query row, when causal).
        uint lastRow = Math.Min(WorkgroupId.X * GroupSize + (GroupSize - 1), queryLength - 1u);
        uint keys = causal ? Math.Min(keyLength, lastRow + 1u) : keyLength;
        uint row = Math.Min(i, queryLength - 1u);
        uint qBase = (bh * queryLength + row) * (uint)dim;
        uint kBase = bh * keyLength * (uint)dim;
        Span<float> qi = stackalloc float[dim];
        Span<float> acc = stackalloc float[dim];
        for (int d = 0; d < dim; d++)
        {
            qi[d] = q[qBase + (uint)d] * scale;
            acc[d] = 0f;
        }
        float m = float.NegativeInfinity;
        float l = 0f;
        for (uint j = 0; j < keys; j++)
        {
            // No branch in this loop: the lanes stay in step, and the loads of k and v (the same row for the whole
            // workgroup) stay uniform. A masked key gets a score of -infinity: p = 0, and key 0 (never masked)
            // makes m finite at once, so exp(m - mNew) is never exp(-inf + inf).
            uint kRow = kBase + j * (uint)dim;
            float s = 0f;
            for (int d = 0; d < dim; d++) s += qi[d] * k[kRow + (uint)d];
            s = causal && j > row ? float.NegativeInfinity : s;
            float mNew = MathF.Max(m, s);
            float correction = MathF.Exp(m - mNew);
            float p = MathF.Exp(s - mNew);
            l = l * correction + p;
            for (int d = 0; d < dim; d++) acc[d] = acc[d] * correction + p * v[kRow + (uint)d];
            m = mNew;
        }
        if (i >= queryLength) return;
        uint oBase = (bh * queryLength + i) * (uint)dim;
        float inverse = 1f / l;
        for (int d = 0; d < dim; d++) o[oBase + (uint)d] = acc[d] * inverse;
        lse[bh * queryLength + i] = m + MathF.Log(l);
    }

    /// <summary>delta[bh, i] = dO_i · O_i, the row term of the softmax gradient. Launch (queryLength, batchHeads).</summary>
    [ComputeKernel(GroupSize)]
    public static void BackwardDelta(ReadOnlyBuffer<float> o, ReadOnlyBuffer<float> dO, ReadWriteBuffer<float> delta,
        uint queryLength, uint dim)
    {
        uint bh = WorkgroupId.Y;
        uint i = GlobalId.X;
        if (i >= queryLength) return;
        uint rowBase = (bh * queryLength + i) * dim;
        float sum = 0f;
        for (uint d = 0; d < dim; d++) sum += dO[rowBase + d] * o[rowBase + d];
        delta[bh * queryLength + i] = sum;
    }

    /// <summary>
    /// dQ_i = scale * sum_j P_ij (dO_i · v_j - delta_i) k_j with P_ij = exp(s_ij - lse_i) recomputed; plus beta * dQ.
    /// Launch (queryLength, batchHeads).
    /// </summary>
    [ComputeKernel(GroupSize)]
    public static void BackwardQuery(ReadOnlyBuffer<float> q, ReadOnlyBuffer<float> k, ReadOnlyBuffer<float> v, ReadOnlyBuffer<float> dO,
        ReadOnlyBuffer<float> lse, ReadOnlyBuffer<float> delta, ReadWriteBuffer<float> dq,
        uint queryLength, uint keyLength, [Specialize(1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24, 32, 48, 64)] int dim, float scale, bool causal, float beta)
    {
        uint bh = WorkgroupId.Y;
        uint i = GlobalId.X;
        uint lastRow = Math.Min(WorkgroupId.X * GroupSize + (GroupSize - 1), queryLength - 1u);
        uint keys = causal ? Math.Min(keyLength, lastRow + 1u) : keyLength;
        uint row = Math.Min(i, queryLength - 1u);
        uint qBase = (bh * queryLength + row) * (uint)dim;
        uint kBase = bh * keyLength * (uint)dim;
        Span<float> qi = stackalloc float[dim];
        Span<float> gi = stackalloc float[dim];
        Span<float> acc = stackalloc float[dim];
        for (int d = 0; d < dim; d++)
        {
            qi[d] = q[qBase + (uint)d] * scale;
            gi[d] = dO[qBase + (uint)d];
            acc[d] = 0f;
        }
        float rowLse = lse[bh * queryLength + row];
        float rowDelta = delta[bh * queryLength + row];
        for (uint j = 0; j < keys; j++)
        {
            uint kRow = kBase + j * (uint)dim;
            float s = 0f;
            float dp = 0f;
            for (int d = 0; d < dim; d++)
            {
                s += qi[d] * k[kRow + (uint)d];
                dp += gi[d] * v[kRow + (uint)d];
            }
            s = causal && j > row ? float.NegativeInfinity : s; // masked: P = 0, no branch (uniform loads)
            float ds = MathF.Exp(s - rowLse) * (dp - rowDelta);
            for (int d = 0; d < dim; d++) acc[d] += ds * k[kRow + (uint)d];
        }
        if (i >= queryLength) return;
        for (int d = 0; d < dim; d++)
        {
            uint index = qBase + (uint)d;
            float value = scale * acc[d];
            if (beta != 0f) value += beta * dq[index];
            dq[index] = value;
        }
    }

    /// <summary>
    /// dV_j = sum_i P_ij dO_i and dK_j = scale * sum_i P_ij (dO_i · v_j - delta_i) q_i (i &gt;= j when causal); plus
    /// beta times the old values. Launch (keyLength, batchHeads).
    /// </summary>
    [ComputeKernel(GroupSize)]
    public static void BackwardKeyValue(ReadOnlyBuffer<float> q, ReadOnlyBuffer<float> k, ReadOnlyBuffer<float> v, ReadOnlyBuffer<float> dO,
        ReadOnlyBuffer<float> lse, ReadOnlyBuffer<float> delta, ReadWriteBuffer<float> dk, ReadWriteBuffer<float> dv,
        uint queryLength, uint keyLength, [Specialize(1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 24, 32, 48, 64)] int dim, float scale, bool causal, float beta)
    {
        uint bh = WorkgroupId.Y;
        uint j = GlobalId.X;
        // Causal: key j is seen by queries i >= j; the workgroup starts at its first key row.
        uint firstQuery = causal ? Math.Min(WorkgroupId.X * GroupSize, queryLength) : 0u;
        uint key = Math.Min(j, keyLength - 1u);
        uint kBase = (bh * keyLength + key) * (uint)dim;
        uint qBase = bh * queryLength * (uint)dim;
        Span<float> kj = stackalloc float[dim];
        Span<float> vj = stackalloc float[dim];
        Span<float> dkAcc = stackalloc float[dim];
        Span<float> dvAcc = stackalloc float[dim];
        for (int d = 0; d < dim; d++)
        {
            kj[d] = k[kBase + (uint)d] * scale;
            vj[d] = v[kBase + (uint)d];
            dkAcc[d] = 0f;
            dvAcc[d] = 0f;
        }
        for (uint i = firstQuery; i < queryLength; i++)
        {
            uint qRow = qBase + i * (uint)dim;
            float s = 0f;
            float dp = 0f;
            for (int d = 0; d < dim; d++)
            {
                s += kj[d] * q[qRow + (uint)d];
                dp += dO[qRow + (uint)d] * vj[d];
            }
            s = causal && key > i ? float.NegativeInfinity : s; // masked: P = 0, no branch (uniform loads)
            float p = MathF.Exp(s - lse[bh * queryLength + i]);
            float ds = p * (dp - delta[bh * queryLength + i]);
            for (int d = 0; d < dim; d++)
            {
                dvAcc[d] += p * dO[qRow + (uint)d];
                dkAcc[d] += ds * q[qRow + (uint)d];
            }
        }
        if (j >= keyLength) return;
        for (int d = 0; d < dim; d++)
        {
            uint index = kBase + (uint)d;
            float dkValue = scale * dkAcc[d];
            float dvValue = dvAcc[d];
            if (beta != 0f)
            {
                dkValue += beta * dk[index];
                dvValue += beta * dv[index];
            }
            dk[index] = dkValue;
            dv[index] = dvValue;
        }
    }
}
