namespace KernelGen.Models.Kernels;

/// <summary>The reductions of <see cref="ReductionKernels"/>.</summary>
public enum ReduceKind : uint
{
    Sum = ReductionKernels.Sum,
    Mean = ReductionKernels.Mean,
    Max = ReductionKernels.Max,
}

/// <summary>How a reduction runs: a loop per output, or a workgroup per output.</summary>
public enum ReduceVariant
{
    Auto,
    Loop,
    Workgroup,
}

public static partial class Ops
{
    /// <summary>
    /// y[o, i] = reduce over a of x[o, a, i], for x viewed as [outer, axis, inner] (sum over the rows of a matrix:
    /// outer = 1, axis = rows, inner = columns; over its columns: outer = rows, axis = columns, inner = 1).
    /// </summary>
    public static void Reduce(ComputeDevice device, ReduceKind kind, GpuBufferView<float> x, GpuBufferView<float> y,
        int outer, int axis, int inner, ReduceVariant variant = ReduceVariant.Auto)
    {
        uint o = Positive(outer, nameof(outer)), a = Positive(axis, nameof(axis)), i = Positive(inner, nameof(inner));
        Require(x, (long)outer * axis * inner, nameof(x));
        Require(y, (long)outer * inner, nameof(y));
        Distinct(y, nameof(y), (x, nameof(x)));
        if (variant == ReduceVariant.Auto) variant = ChooseReduce(device, outer * inner, axis);
        if (variant == ReduceVariant.Workgroup)
            ReductionKernels.ReduceWorkgroupKernel.Dispatch(device, new Grid(i * ReductionKernels.GroupSize, o), x, y, o, a, i, (uint)kind);
        else
            ReductionKernels.ReduceLoopKernel.Dispatch(device, new Grid(i, o), x, y, o, a, i, (uint)kind);
    }

    /// <summary>
    /// A workgroup per output when there are few outputs to spread over the device and each reduces a long axis; a
    /// loop per output otherwise (and always on the CPU backend, where barriers cost a phase switch per workgroup).
    /// </summary>
    public static ReduceVariant ChooseReduce(ComputeDevice device, int outputs, int axis) =>
        device.Backend == Backend.WebGpu && outputs < 256 && axis >= 256 ? ReduceVariant.Workgroup : ReduceVariant.Loop;

    /// <summary>
    /// dx = gradient of <see cref="Reduce"/> given dy (and, for max, the forward's x and y), plus beta * dx.
    /// </summary>
    public static void ReduceBackward(ComputeDevice device, ReduceKind kind, GpuBufferView<float> x, GpuBufferView<float> y, GpuBufferView<float> dy,
        GpuBufferView<float> dx, int outer, int axis, int inner, float beta = 0f)
    {
        uint o = Positive(outer, nameof(outer)), a = Positive(axis, nameof(axis)), i = Positive(inner, nameof(inner));
        Require(x, (long)outer * axis * inner, nameof(x));
        Require(y, (long)outer * inner, nameof(y));
        Require(dy, (long)outer * inner, nameof(dy));
        Require(dx, (long)outer * axis * inner, nameof(dx));
        Distinct(dx, nameof(dx), (x, nameof(x)), (y, nameof(y)), (dy, nameof(dy)));
        ReductionKernels.ReduceBackwardKernel.Dispatch(device, new Grid(i, a, o), x, y, dy, dx, o, a, i, (uint)kind, beta);
    }
}
