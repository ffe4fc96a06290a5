namespace KernelGen.Models.Kernels;

/// <summary>
/// Scaled dot-product attention over [BatchHeads, length, HeadDim] tensors: Q is [BatchHeads, QueryLength, HeadDim],
/// K and V [BatchHeads, KeyLength, HeadDim]. Causal: query i sees keys 0..i. Scale defaults to 1/sqrt(HeadDim).
/// </summary>
public readonly record struct AttentionShape(int BatchHeads, int QueryLength, int KeyLength, int HeadDim, bool Causal = false, float? Scale = null)
{
    public float EffectiveScale => Scale ?? 1f / MathF.Sqrt(HeadDim);

    public long QuerySize => (long)BatchHeads * QueryLength * HeadDim;

    public long KeySize => (long)BatchHeads * KeyLength * HeadDim;

    /// <summary>Elements of the score (and probability) matrix the composed version materialises.</summary>
    public long ScoreSize => (long)BatchHeads * QueryLength * KeyLength;

    internal void Validate()
    {
        if (BatchHeads <= 0 || QueryLength <= 0 || KeyLength <= 0 || HeadDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(AttentionShape), this, "sizes must be positive");
        if (BatchHeads > 65535)
            throw new ArgumentOutOfRangeException(nameof(AttentionShape), this, "at most 65535 batch-heads per launch");
    }
}

public static partial class Ops
{
    /// <summary>Whether the fused kernels are compiled for this head dimension (<see cref="AttentionKernels.HeadDims"/>).</summary>
    public static bool FusedAttentionSupports(AttentionShape shape) => Array.IndexOf(AttentionKernels.HeadDims, shape.HeadDim) >= 0;

    /// <summary>
    /// Fused attention forward: o, and the per-row log-sum-exp [BatchHeads, QueryLength] its backward pass needs;
    /// memory beyond the operands: that one float per query row.
    /// </summary>
    public static void Attention(ComputeDevice device, GpuBufferView<float> q, GpuBufferView<float> k, GpuBufferView<float> v, GpuBufferView<float> o,
        GpuBufferView<float> lse, AttentionShape shape)
    {
        CheckAttention(shape, q, k, v);
        if (!FusedAttentionSupports(shape))
            throw new ArgumentException(
                $"The fused kernels are compiled for head dimensions {string.Join(", ", AttentionKernels.HeadDims)}, not {shape.HeadDim}; use AttentionComposed.", nameof(shape));
        Require(o, shape.QuerySize, nameof(o));
        Require(lse, (long)shape.BatchHeads * shape.QueryLength, nameof(lse));
        Distinct(o, nameof(o), (q, nameof(q)), (k, nameof(k)), (v, nameof(v)), (lse, nameof(lse)));
        Distinct(lse, nameof(lse), (q, nameof(q)), (k, nameof(k)), (v, nameof(v)));
        AttentionKernels.ForwardKernel.Dispatch(device, new Grid((uint)shape.QueryLength, (uint)shape.BatchHeads), q, k, v, o, lse,
            (uint)shape.QueryLength, (uint)shape.KeyLength, shape.HeadDim, shape.EffectiveScale, shape.Causal);
    }

    /// <summary>
    /// Fused attention backward from the forward's o and lse: dq, dk, dv (each plus beta times its old value). The
    /// scores are recomputed, never stored.
    /// </summary>
    public static void AttentionBackward(ComputeDevice device, GpuBufferView<float> q, GpuBufferView<float> k, GpuBufferView<float> v, GpuBufferView<float> o,
        GpuBufferView<float> lse, GpuBufferView<float> dO, GpuBufferView<float> dq, GpuBufferView<float> dk, GpuBufferView<float> dv, AttentionShape shape,
        float beta = 0f, BufferPool? pool = null)
    {
        CheckAttention(shape, q, k, v);
        if (!FusedAttentionSupports(shape))
            throw new ArgumentException(
                $"The fused kernels are compiled for head dimensions {string.Join(", ", AttentionKernels.HeadDims)}, not {shape.HeadDim}; use AttentionComposedBackward.", nameof(shape));
        Require(o, shape.QuerySize, nameof(o));
        Require(dO, shape.QuerySize, nameof(dO));
        Require(dq, shape.QuerySize, nameof(dq));
        Require(dk, shape.KeySize, nameof(dk));
        Require(dv, shape.KeySize, nameof(dv));
        int rows = shape.BatchHeads * shape.QueryLength;
        Require(lse, rows, nameof(lse));
        CheckGradients(q, k, v, dO, dq, dk, dv, lse, o);
        uint tq = (uint)shape.QueryLength, tk = (uint)shape.KeyLength, d = (uint)shape.HeadDim, bh = (uint)shape.BatchHeads;
        float scale = shape.EffectiveScale;
        var delta = Rent(device, pool, rows);
        try
        {
            AttentionKernels.BackwardDeltaKernel.Dispatch(device, new Grid(tq, bh), o, dO, delta, tq, d);
            AttentionKernels.BackwardQueryKernel.Dispatch(device, new Grid(tq, bh), q, k, v, dO, lse, delta, dq, tq, tk, shape.HeadDim, scale, shape.Causal, beta);
            AttentionKernels.BackwardKeyValueKernel.Dispatch(device, new Grid(tk, bh), q, k, v, dO, lse, delta, dk, dv, tq, tk, shape.HeadDim, scale, shape.Causal, beta);
        }
        finally
        {
            Return(pool, delta);
        }
    }

    /// <summary>
    /// The composed version: scores = scale * Q K^T (a batched matmul), probs = softmax(scores) with the causal mask
    /// (the [BatchHeads, QueryLength, KeyLength] matrix, kept for the backward pass), o = probs V. The scores are a
    /// temporary of the same size.
    /// </summary>
    public static void AttentionComposed(ComputeDevice device, GpuBufferView<float> q, GpuBufferView<float> k, GpuBufferView<float> v, GpuBufferView<float> o,
        GpuBufferView<float> probs, AttentionShape shape, BufferPool? pool = null)
    {
        CheckAttention(shape, q, k, v);
        Require(o, shape.QuerySize, nameof(o));
        Require(probs, shape.ScoreSize, nameof(probs));
        Distinct(o, nameof(o), (q, nameof(q)), (k, nameof(k)), (v, nameof(v)), (probs, nameof(probs)));
        Distinct(probs, nameof(probs), (q, nameof(q)), (k, nameof(k)), (v, nameof(v)));
        int tq = shape.QueryLength, tk = shape.KeyLength, d = shape.HeadDim, bh = shape.BatchHeads;
        var scores = Rent(device, pool, shape.ScoreSize);
        try
        {
            Matmul(device, q, k, scores, tq, tk, d, new MatmulOptions { Batch = bh, TransposeB = true, Alpha = shape.EffectiveScale });
            Softmax(device, scores, probs, bh * tq, tk, causalPeriod: shape.Causal ? tq : 0);
            Matmul(device, probs, v, o, tq, d, tk, new MatmulOptions { Batch = bh });
        }
        finally
        {
            Return(pool, scores);
        }
    }

    /// <summary>
    /// The composed backward from the forward's probs: dv = P^T dO, dP = dO V^T, dS = softmax'(dP) * scale,
    /// dq = dS K, dk = dS^T Q (each output plus beta times its old value). dP and dS are temporaries of the score
    /// matrix's size.
    /// </summary>
    public static void AttentionComposedBackward(ComputeDevice device, GpuBufferView<float> q, GpuBufferView<float> k, GpuBufferView<float> v,
        GpuBufferView<float> probs, GpuBufferView<float> dO, GpuBufferView<float> dq, GpuBufferView<float> dk, GpuBufferView<float> dv, AttentionShape shape,
        float beta = 0f, BufferPool? pool = null)
    {
        CheckAttention(shape, q, k, v);
        Require(probs, shape.ScoreSize, nameof(probs));
        Require(dO, shape.QuerySize, nameof(dO));
        Require(dq, shape.QuerySize, nameof(dq));
        Require(dk, shape.KeySize, nameof(dk));
        Require(dv, shape.KeySize, nameof(dv));
        CheckGradients(q, k, v, dO, dq, dk, dv, probs);
        int tq = shape.QueryLength, tk = shape.KeyLength, d = shape.HeadDim, bh = shape.BatchHeads;
        var dProbs = Rent(device, pool, shape.ScoreSize);
        var dScores = Rent(device, pool, shape.ScoreSize);
        try
        {
            Matmul(device, probs, dO, dv, tk, d, tq, new MatmulOptions { Batch = bh, TransposeA = true, Beta = beta });
            Matmul(device, dO, v, dProbs, tq, tk, d, new MatmulOptions { Batch = bh, TransposeB = true });
            SoftmaxBackward(device, probs, dProbs, dScores, bh * tq, tk, scale: shape.EffectiveScale);
            Matmul(device, dScores, k, dq, tq, d, tk, new MatmulOptions { Batch = bh, Beta = beta });
            Matmul(device, dScores, q, dk, tk, d, tq, new MatmulOptions { Batch = bh, TransposeA = true, Beta = beta });
        }
        finally
        {
            Return(pool, dProbs, dScores);
        }
    }

    /// <summary>
    /// Multi-head attention on [batch, time, heads * headDim] projections (self-attention: the same time for q, k and
    /// v): splits the heads, runs the fused kernel (or the composed version), merges the heads of o back into
    /// [batch, time, heads * headDim]. lseOrProbs receives what the matching backward needs: the log-sum-exp
    /// ([batch*heads, time]) when fused, the probabilities ([batch*heads, time, time]) when composed.
    /// </summary>
    public static void MultiHeadAttention(ComputeDevice device, GpuBufferView<float> q, GpuBufferView<float> k, GpuBufferView<float> v, GpuBufferView<float> o,
        GpuBufferView<float> lseOrProbs, int batch, int time, int heads, int headDim, bool causal, bool fused = true, BufferPool? pool = null)
    {
        var shape = new AttentionShape(batch * heads, time, time, headDim, causal);
        long size = shape.QuerySize;
        var qs = Rent(device, pool, size);
        var ks = Rent(device, pool, size);
        var vs = Rent(device, pool, size);
        var os = Rent(device, pool, size);
        try
        {
            SplitHeads(device, q, qs, batch, time, heads, headDim);
            SplitHeads(device, k, ks, batch, time, heads, headDim);
            SplitHeads(device, v, vs, batch, time, heads, headDim);
            if (fused) Attention(device, qs, ks, vs, os, lseOrProbs, shape);
            else AttentionComposed(device, qs, ks, vs, os, lseOrProbs, shape, pool);
            MergeHeads(device, os, o, batch, time, heads, headDim);
        }
        finally
        {
            Return(pool, qs, ks, vs, os);
        }
    }

    private static void CheckGradients(GpuBufferView<float> q, GpuBufferView<float> k, GpuBufferView<float> v, GpuBufferView<float> dO,
        GpuBufferView<float> dq, GpuBufferView<float> dk, GpuBufferView<float> dv, params GpuBufferView<float>[] saved)
    {
        var inputs = new List<(GpuBufferView?, string)> { (q, nameof(q)), (k, nameof(k)), (v, nameof(v)), (dO, nameof(dO)) };
        inputs.AddRange(saved.Select(b => ((GpuBufferView?)b, "a saved forward tensor")));
        Distinct(dq, nameof(dq), [.. inputs, (dk, nameof(dk)), (dv, nameof(dv))]);
        Distinct(dk, nameof(dk), [.. inputs, (dv, nameof(dv))]);
        Distinct(dv, nameof(dv), [.. inputs]);
    }

    private static void CheckAttention(AttentionShape shape, GpuBufferView<float> q, GpuBufferView<float> k, GpuBufferView<float> v)
    {
        shape.Validate();
        Require(q, shape.QuerySize, nameof(q));
        Require(k, shape.KeySize, nameof(k));
        Require(v, shape.KeySize, nameof(v));
    }
}
