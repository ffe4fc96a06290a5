namespace KernelGen.Models.Kernels;

public static partial class Ops
{
    /// <summary>y[b, c, r, e] = x[b, r, c, e] for x of shape [batch, rows, cols, inner].</summary>
    public static void SwapMiddle(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, int batch, int rows, int cols, int inner = 1)
    {
        uint b = Positive(batch, nameof(batch)), r = Positive(rows, nameof(rows)), c = Positive(cols, nameof(cols)), e = Positive(inner, nameof(inner));
        long n = (long)batch * rows * cols * inner;
        if (n > int.MaxValue) throw new ArgumentException("The tensor has more than 2^31 elements.");
        Require(x, n, nameof(x));
        Require(y, n, nameof(y));
        Distinct(y, nameof(y), (x, nameof(x)));
        var (grid, width) = ElementGrid((int)n);
        LayoutKernels.SwapMiddleKernel.Dispatch(device, grid, x, y, b, r, c, e, width);
    }

    /// <summary>y = x^T for each of <paramref name="batch"/> [rows, cols] matrices.</summary>
    public static void Transpose(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, int rows, int cols, int batch = 1) =>
        SwapMiddle(device, x, y, batch, rows, cols);

    /// <summary>[batch, time, heads * headDim] to [batch, heads, time, headDim].</summary>
    public static void SplitHeads(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, int batch, int time, int heads, int headDim) =>
        SwapMiddle(device, x, y, batch, time, heads, headDim);

    /// <summary>[batch, heads, time, headDim] to [batch, time, heads * headDim].</summary>
    public static void MergeHeads(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, int batch, int time, int heads, int headDim) =>
        SwapMiddle(device, x, y, batch, heads, time, headDim);
}
