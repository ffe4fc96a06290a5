using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// Embedding lookup and its backward pass. The backward pass is a scatter-add (several positions may hold the same
/// token), and WebGPU has atomics only on integers, so it is done deterministically in four barrier-free kernels:
/// count each token's positions, an exclusive scan of the counts, list the positions of each token in order
/// (buckets), and finally one invocation per (token, column) summing its bucket in position order. Cost
/// O(vocabulary x positions) integer reads plus O(positions x width) adds, and the result is bit-for-bit reproducible.
/// </summary>
public static partial class EmbeddingKernels
{
    /// <summary>
    /// output[t, d] = table[ids[t], d] for a [vocab, width] table; ids outside [0, vocab) give zeros. Elements of the
    /// output laid out over the invocations as in <see cref="PointwiseKernels"/> (launched by <see cref="Ops.ElementGrid"/>).
    /// </summary>
    [ComputeKernel(PointwiseKernels.GroupSize)]
    public static void Gather(ReadOnlyBuffer<float> table, ReadOnlyBuffer<int> ids, ReadWriteBuffer<float> output, uint positions, uint width,
        uint vocab, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
        uint n = positions * width;
        uint first = GlobalId.Y * PointwiseKernels.PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PointwiseKernels.PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            uint t = i / width;
            int id = ids[t];
            float value = 0f;
            if (id >= 0 && (uint)id < vocab) value = table[(uint)id * width + (i - t * width)];
            output[i] = value;
        }
    }

    /// <summary>counts[v] = how many positions hold token v. One invocation per token; launch vocab.</summary>
    [ComputeKernel(64)]
    public static void CountTokens(ReadOnlyBuffer<int> ids, ReadWriteBuffer<uint> counts, uint positions, uint vocab)
    {
        uint v = GlobalId.X;
        if (v >= vocab) return;
        uint count = 0;
        for (uint t = 0; t < positions; t++)
        {
            if (ids[t] == (int)v) count++;
        }
        counts[v] = count;
    }

    /// <summary>
    /// offsets[v] = counts[0] + ... + counts[v - 1], by a single invocation (vocabularies are small next to the
    /// work of the other kernels). Launch 1.
    /// </summary>
    [ComputeKernel(1)]
    public static void ExclusiveScan(ReadOnlyBuffer<uint> counts, ReadWriteBuffer<uint> offsets, uint length)
    {
        if (GlobalId.X != 0) return;
        uint total = 0;
        for (uint v = 0; v < length; v++)
        {
            offsets[v] = total;
            total += counts[v];
        }
    }

    /// <summary>
    /// Writes the positions holding token v, in increasing order, at order[offsets[v] ...]. One invocation per token;
    /// launch vocab.
    /// </summary>
    [ComputeKernel(64)]
    public static void BucketPositions(ReadOnlyBuffer<int> ids, ReadOnlyBuffer<uint> offsets, ReadWriteBuffer<uint> order, uint positions, uint vocab)
    {
        uint v = GlobalId.X;
        if (v >= vocab) return;
        uint next = offsets[v];
        for (uint t = 0; t < positions; t++)
        {
            if (ids[t] == (int)v)
            {
                order[next] = t;
                next++;
            }
        }
    }

    /// <summary>
    /// dTable[v, d] = beta * dTable[v, d] + sum of dOutput[t, d] over the positions t of token v, in position order.
    /// Launch (width, vocab).
    /// </summary>
    [ComputeKernel(64, 4)]
    public static void AccumulateBuckets(ReadOnlyBuffer<float> dOutput, ReadOnlyBuffer<uint> counts, ReadOnlyBuffer<uint> offsets,
        ReadOnlyBuffer<uint> order, ReadWriteBuffer<float> dTable, uint width, uint vocab, float beta)
    {
        uint d = GlobalId.X;
        uint v = GlobalId.Y;
        if (d >= width || v >= vocab) return;
        uint start = offsets[v];
        uint end = start + counts[v];
        float sum = 0f;
        for (uint q = start; q < end; q++) sum += dOutput[order[q] * width + d];
        uint index = v * width + d;
        dTable[index] = beta != 0f ? beta * dTable[index] + sum : sum;
    }
}
