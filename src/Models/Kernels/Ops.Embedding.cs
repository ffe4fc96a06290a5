namespace KernelGen.Models.Kernels;

public static partial class Ops
{
    /// <summary>output[t, :] = table[ids[t], :] for a [vocab, width] table (zeros for ids outside the table).</summary>
    public static void Embedding(ComputeDevice device, GpuBufferView<float> table, GpuBufferView<int> ids, GpuBufferView<float> output,
        int positions, int width, int vocab)
    {
        uint t = Positive(positions, nameof(positions)), d = Positive(width, nameof(width)), v = Positive(vocab, nameof(vocab));
        Require(table, (long)vocab * width, nameof(table));
        Require(ids, positions, nameof(ids));
        Require(output, (long)positions * width, nameof(output));
        Distinct(output, nameof(output), (table, nameof(table)));
        if ((long)positions * width > int.MaxValue) throw new ArgumentException("The output has more than 2^31 elements.");
        var (grid, rowWidth) = ElementGrid(positions * width);
        EmbeddingKernels.GatherKernel.Dispatch(device, grid, table, ids, output, t, d, v, rowWidth);
    }

    /// <summary>
    /// dTable = beta * dTable + scatter-add of dOutput rows into the rows of their tokens, deterministically (see
    /// <see cref="EmbeddingKernels"/>). The three temporary integer buffers come from <paramref name="pool"/> when
    /// given (a training loop), else are created and released here.
    /// </summary>
    public static void EmbeddingBackward(ComputeDevice device, GpuBufferView<int> ids, GpuBufferView<float> dOutput, GpuBufferView<float> dTable,
        int positions, int width, int vocab, float beta = 0f, BufferPool? pool = null)
    {
        uint t = Positive(positions, nameof(positions)), d = Positive(width, nameof(width)), v = Positive(vocab, nameof(vocab));
        Require(ids, positions, nameof(ids));
        Require(dOutput, (long)positions * width, nameof(dOutput));
        Require(dTable, (long)vocab * width, nameof(dTable));
        Distinct(dTable, nameof(dTable), (dOutput, nameof(dOutput)));
        var counts = pool?.Rent<uint>(vocab) ?? device.CreateBuffer<uint>(vocab);
        var offsets = pool?.Rent<uint>(vocab) ?? device.CreateBuffer<uint>(vocab);
        var order = pool?.Rent<uint>(positions) ?? device.CreateBuffer<uint>(positions);
        try
        {
            EmbeddingKernels.CountTokensKernel.Dispatch(device, vocab, ids, counts, t, v);
            EmbeddingKernels.ExclusiveScanKernel.Dispatch(device, 1, counts, offsets, v);
            EmbeddingKernels.BucketPositionsKernel.Dispatch(device, vocab, ids, offsets, order, t, v);
            EmbeddingKernels.AccumulateBucketsKernel.Dispatch(device, new Grid(d, v), dOutput, counts, offsets, order, dTable, d, v, beta);
        }
        finally
        {
            // Safe while the work is still queued: a released buffer lives until the work that uses it is done.
            foreach (var buffer in new GpuBuffer[] { counts, offsets, order })
            {
                if (pool is null) buffer.Dispose();
                else pool.Return(buffer);
            }
        }
    }
}
