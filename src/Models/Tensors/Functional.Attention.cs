using KernelGen.Models.Kernels;

namespace KernelGen.Models.Tensors;

public static partial class Functional
{
    /// <summary>
    /// softmax(q kᵀ / sqrt(d)) v for [batchHeads, time, headDim] q, k, v (causal: position i sees 0..i). Uses the fused
    /// kernel (scores never stored; the backward recomputes them) when it is compiled for the head dimension, else
    /// the composed matmul-softmax-matmul, which keeps the probabilities for the backward pass.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, bool causal, string? layer = null)
    {
        Require(q.Shape.Rank == 3 && k.Shape.Equals(v.Shape) && q.Shape[0] == k.Shape[0] && q.Shape[2] == k.Shape[2],
            "ScaledDotProductAttention", layer, $"q {q.Shape}, k {k.Shape} and v {v.Shape} must be [batchHeads, time, headDim] with matching sizes");
        var shape = new AttentionShape(q.Shape[0], q.Shape[1], k.Shape[1], q.Shape[2], causal);
        var graph = Graph.Of("ScaledDotProductAttention", q, k, v);
        var device = graph.Device;
        var o = graph.NewTensor(q.Shape, "attention", q.RequiresGrad || k.RequiresGrad || v.RequiresGrad);
        bool fused = Ops.FusedAttentionSupports(shape);
        // What the backward needs: the log-sum-exp per query row (fused), or the probabilities (composed).
        var saved = graph.Rent<float>(checked((int)(fused ? (long)shape.BatchHeads * shape.QueryLength : shape.ScoreSize)));
        if (fused) Ops.Attention(device, q.Buffer, k.Buffer, v.Buffer, o.Buffer, saved, shape);
        else Ops.AttentionComposed(device, q.Buffer, k.Buffer, v.Buffer, o.Buffer, saved, shape, graph.Pool);
        graph.Record(o, dO =>
        {
            var set = graph.Gradients(q, k, v);
            if (fused) Ops.AttentionBackward(device, q.Buffer, k.Buffer, v.Buffer, o.Buffer, saved, dO.Buffer, set[0], set[1], set[2], shape, set.Beta, graph.Pool);
            else Ops.AttentionComposedBackward(device, q.Buffer, k.Buffer, v.Buffer, saved, dO.Buffer, set[0], set[1], set[2], shape, set.Beta, graph.Pool);
            graph.Finish(set);
        });
        return o;
    }

    /// <summary>
    /// The attention weights of one forward pass, [batchHeads, queries, keys], for figures and the browser's
    /// attention maps (no gradient): softmax(q kᵀ / sqrt(d)) with the causal mask.
    /// </summary>
    public static Tensor AttentionWeights(Tensor q, Tensor k, bool causal, string? layer = null)
    {
        Require(q.Shape.Rank == 3 && k.Shape.Rank == 3 && q.Shape[0] == k.Shape[0] && q.Shape[2] == k.Shape[2],
            "AttentionWeights", layer, $"q {q.Shape} and k {k.Shape} must be [batchHeads, time, headDim] with matching sizes");
        var graph = Graph.Of("AttentionWeights", q, k);
        var device = graph.Device;
        int bh = q.Shape[0], tq = q.Shape[1], tk = k.Shape[1], d = q.Shape[2];
        var scores = graph.Rent<float>(bh * tq * tk);
        var probs = graph.NewTensor(new Shape(bh, tq, tk), "attention weights", requiresGrad: false);
        Ops.Matmul(device, q.Buffer, k.Buffer, scores, tq, tk, d, new MatmulOptions { Batch = bh, TransposeB = true, Alpha = 1f / MathF.Sqrt(d) });
        Ops.Softmax(device, scores, probs.Buffer, bh * tq, tk, causalPeriod: causal ? tq : 0);
        return probs;
    }
}
