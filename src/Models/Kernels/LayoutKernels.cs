using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>Data movement: transposes (and with them the head split and merge of multi-head attention).</summary>
public static partial class LayoutKernels
{
    /// <summary>
    /// y[b, c, r, e] = x[b, r, c, e]: swaps the two middle axes of a [batch, rows, cols, inner] tensor. With inner = 1
    /// it is a batched matrix transpose; [B, T, H, D] to [B, H, T, D] (rows = T, cols = H, inner = D) splits the heads
    /// of attention and the same call with rows = H, cols = T merges them back. Elements of y are laid out over the
    /// invocations as in <see cref="PointwiseKernels"/> (the stores are contiguous), launched by <see cref="Ops.ElementGrid"/>.
    /// </summary>
    [ComputeKernel(256)]
    public static void SwapMiddle(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint batch, uint rows, uint cols, uint inner, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
        uint perBatch = rows * cols * inner;
        uint n = batch * perBatch;
        uint first = GlobalId.Y * PointwiseKernels.PerInvocation * rowWidth + GlobalId.X;
        for (uint step = 0; step < PointwiseKernels.PerInvocation; step++)
        {
            uint index = first + step * rowWidth;
            if (index >= n) return;
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
}
