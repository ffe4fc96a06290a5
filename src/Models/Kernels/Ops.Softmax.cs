namespace KernelGen.Models.Kernels;

/// <summary>How a row-wise operation (softmax, cross-entropy, layer norm) runs.</summary>
public enum RowVariant
{
    /// <summary>Chosen by <see cref="Ops.ChooseRowVariant"/>.</summary>
    Auto,

    /// <summary>One invocation per row, no barriers.</summary>
    Row,

    /// <summary>One 64-invocation workgroup per row, workgroup reductions.</summary>
    Workgroup,
}

public static partial class Ops
{
    /// <summary>
    /// One workgroup per row when rows are long and too few to fill the device one invocation each; one invocation
    /// per row otherwise. On lavapipe and on the CPU backend barriers are costly, so only very long rows (4096+)
    /// take a workgroup there.
    /// </summary>
    public static RowVariant ChooseRowVariant(ComputeDevice device, int rows, int cols)
    {
        bool softwareOrCpu = device.Backend == Backend.Cpu || IsSoftwareAdapter(device);
        if (softwareOrCpu) return cols >= 4096 && rows < 1024 ? RowVariant.Workgroup : RowVariant.Row;
        return cols >= 256 || rows < 4096 ? RowVariant.Workgroup : RowVariant.Row;
    }

    /// <summary>The launch of a workgroup-per-row kernel: rows spread over X, then Y.</summary>
    internal static Grid WorkgroupRowsGrid(int rows, int groupSize)
    {
        int perGridRow = SoftmaxKernels.RowsPerGridRow;
        int x = Math.Min(rows, perGridRow), y = (rows + perGridRow - 1) / perGridRow;
        return new Grid((uint)(x * groupSize), (uint)y);
    }

    /// <summary>
    /// y = softmax(scale * x) (or log-softmax) along the last axis of [rows, cols], optionally with a causal mask of
    /// period <paramref name="causalPeriod"/> (row r sees columns 0..r % period).
    /// </summary>
    public static void Softmax(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, int rows, int cols,
        bool log = false, float scale = 1f, int causalPeriod = 0, RowVariant variant = RowVariant.Auto)
    {
        uint r = Positive(rows, nameof(rows)), c = Positive(cols, nameof(cols));
        ArgumentOutOfRangeException.ThrowIfNegative(causalPeriod);
        Require(x, (long)rows * cols, nameof(x));
        Require(y, (long)rows * cols, nameof(y));
        Distinct(y, nameof(y), (x, nameof(x)));
        if (variant == RowVariant.Auto) variant = ChooseRowVariant(device, rows, cols);
        if (variant == RowVariant.Workgroup)
        {
            SoftmaxKernels.SoftmaxWorkgroupKernel.Dispatch(device, WorkgroupRowsGrid(rows, SoftmaxKernels.GroupSize), x, y, r, c, log, scale,
                (uint)causalPeriod, 0);
            return;
        }
        var (grid, width) = InvocationGrid(rows);
        SoftmaxKernels.SoftmaxRowsKernel.Dispatch(device, grid, x, y, r, c, log, scale, (uint)causalPeriod, width);
    }

    /// <summary>dx = gradient of <see cref="Softmax"/> (same log and scale) from its output y, plus beta * dx.</summary>
    public static void SoftmaxBackward(ComputeDevice device, GpuBufferView<float> y, GpuBufferView<float> dy, GpuBufferView<float> dx, int rows, int cols,
        bool log = false, float scale = 1f, float beta = 0f, RowVariant variant = RowVariant.Auto)
    {
        uint r = Positive(rows, nameof(rows)), c = Positive(cols, nameof(cols));
        Require(y, (long)rows * cols, nameof(y));
        Require(dy, (long)rows * cols, nameof(dy));
        Require(dx, (long)rows * cols, nameof(dx));
        Distinct(dx, nameof(dx), (y, nameof(y)), (dy, nameof(dy)));
        if (variant == RowVariant.Auto) variant = ChooseRowVariant(device, rows, cols);
        if (variant == RowVariant.Workgroup)
        {
            SoftmaxKernels.SoftmaxBackwardWorkgroupKernel.Dispatch(device, WorkgroupRowsGrid(rows, SoftmaxKernels.GroupSize), y, dy, dx, r, c,
                log, scale, beta, 0);
            return;
        }
        var (grid, width) = InvocationGrid(rows);
        SoftmaxKernels.SoftmaxBackwardRowsKernel.Dispatch(device, grid, y, dy, dx, r, c, log, scale, beta, width);
    }

    /// <summary>
    /// Per-row cross-entropy losses of [rows, cols] logits against integer targets, and the fused gradient
    /// (softmax - onehot) * gradScale (default 1/rows: the gradient of the mean loss). Targets outside [0, cols)
    /// are ignored (loss and gradient 0).
    /// </summary>
    public static void CrossEntropy(ComputeDevice device, GpuBufferView<float> logits, GpuBufferView<int> targets, GpuBufferView<float> losses,
        GpuBufferView<float> grad, int rows, int cols, float? gradScale = null, RowVariant variant = RowVariant.Auto)
    {
        uint r = Positive(rows, nameof(rows)), c = Positive(cols, nameof(cols));
        Require(logits, (long)rows * cols, nameof(logits));
        Require(targets, rows, nameof(targets));
        Require(losses, rows, nameof(losses));
        Require(grad, (long)rows * cols, nameof(grad));
        Distinct(grad, nameof(grad), (logits, nameof(logits)), (losses, nameof(losses)));
        Distinct(losses, nameof(losses), (logits, nameof(logits)));
        float scale = gradScale ?? 1f / rows;
        if (variant == RowVariant.Auto) variant = ChooseRowVariant(device, rows, cols);
        if (variant == RowVariant.Workgroup)
        {
            SoftmaxKernels.CrossEntropyWorkgroupKernel.Dispatch(device, WorkgroupRowsGrid(rows, SoftmaxKernels.GroupSize), logits, targets, losses,
                grad, r, c, scale, 0);
            return;
        }
        var (grid, width) = InvocationGrid(rows);
        SoftmaxKernels.CrossEntropyRowsKernel.Dispatch(device, grid, logits, targets, losses, grad, r, c, scale, width);
    }
}
