using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>Data movement: transposes (and with them the head split and merge of multi-head attention).</summary>
public static partial class LayoutKernels
{
    /// <summary>
    /// y[b, c, r, e] = x[b, r, c, e]: swaps the two middle axes of a [batch, rows, cols, inner] tensor. With inner = 1
    /// it is a batched matrix transpose; [B, T, H, D] to [B, H, T, D] (rows = T, cols = H, inner = D) splits the heads
    /// of attention and the same call with rows = H, cols = T merges them back. One invocation per element of y, in
    /// order (the stores are contiguous): element <c>GlobalId.Y * rowWidth + GlobalId.X</c>, launched by
    /// <see cref="Ops.ElementGrid"/>.
    /// </summary>
    [ComputeKernel(256)]
    public static void SwapMiddle(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint batch, uint rows, uint cols, uint inner, uint rowWidth)
    {
        uint index = GlobalId.Y * rowWidth + GlobalId.X;
        uint perBatch = rows * cols * inner;
        if (GlobalId.X >= rowWidth || index >= batch * perBatch) return;
        uint b = index / perBatch;
        uint rest = index - b * perBatch;
        uint e = rest % inner;
        uint rc = rest / inner;
        // y is [b, c, r, e]: rc = c * rows + r.
        uint r = rc % rows;
        uint c = rc / rows;
        y[index] = x[b * perBatch + (r * cols + c) * inner + e];
    }
}
