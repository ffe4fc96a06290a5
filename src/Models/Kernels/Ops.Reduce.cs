using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

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
    /// <remarks>
    /// y may be a view into a bigger buffer, e.g. one slot of a small metrics buffer that a training step fills
    /// (mean loss, correct count, gradient norm) and reads back once: <c>Reduce(device, ReduceKind.Mean, losses,
    /// metrics.Slice(0, 1), 1, rows, 1)</c>, then <c>metrics.Slice(64, 1)</c> for the next. A view a kernel binds must
    /// start at a multiple of <see cref="ComputeDevice.StorageOffsetAlignment"/> bytes (256 = 64 floats on the CPU
    /// backend and most adapters), so the slots are 64 floats apart: a metrics buffer of 3 * 64 floats, slots at
    /// elements 0, 64 and 128 (read back with <c>metrics.Read()</c>, or each with <c>metrics.Slice(64, 1).Read()</c>).
    /// </remarks>
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

    /// <summary>
    /// indices[r] = the column of the maximum of row r of a [rows, cols] x, the first where several tie (as
    /// torch.argmax); a NaN counts as the maximum.
    /// </summary>
    public static void Argmax(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<int> indices, int rows, int cols)
    {
        uint r = Positive(rows, nameof(rows)), c = Positive(cols, nameof(cols));
        Require(x, (long)rows * cols, nameof(x));
        Require(indices, rows, nameof(indices));
        var (grid, width) = InvocationGrid(rows);
        ReductionKernels.ArgmaxRowsKernel.Dispatch(device, grid, x, indices, r, c, width);
    }

    /// <summary>
    /// correct[r] = 1 when <see cref="Argmax"/> of logits row r equals targets[r], else 0 (a target outside [0, cols),
    /// such as an ignore index, counts as wrong); <see cref="Reduce"/> with <see cref="ReduceKind.Sum"/> (or Mean)
    /// then gives the count (or the accuracy) on the device.
    /// </summary>
    public static void Correct(ComputeDevice device, GpuBufferView<float> logits, GpuBufferView<int> targets, GpuBufferView<float> correct,
        int rows, int cols)
    {
        uint r = Positive(rows, nameof(rows)), c = Positive(cols, nameof(cols));
        Require(logits, (long)rows * cols, nameof(logits));
        Require(targets, rows, nameof(targets));
        Require(correct, rows, nameof(correct));
        Distinct(correct, nameof(correct), (logits, nameof(logits)));
        var (grid, width) = InvocationGrid(rows);
        ReductionKernels.CorrectRowsKernel.Dispatch(device, grid, logits, targets, correct, r, c, width);
    }

    /// <summary>
    /// output[0] = beta * output[0] + sum of x[i]^2 over n elements (beta = 0 does not read output; beta = 1
    /// accumulates the squared norms of several gradient buffers into one). Deterministic: the same result on every
    /// run. Up to <see cref="ReductionKernels.MaxPartials"/> elements it is one workgroup's dispatch; past that two:
    /// partial sums over strided parts, then one workgroup sums them. The partials live in a scratch buffer per
    /// device and calling thread (the two stages of one call run in order, within a batch too).
    /// </summary>
    public static void SumOfSquares(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> output, int n, float beta = 0f)
    {
        ArgumentNullException.ThrowIfNull(device);
        uint un = Positive(n, nameof(n));
        Require(x, n, nameof(x));
        Require(output, 1, nameof(output));
        Distinct(output, nameof(output), (x, nameof(x)));
        var finish = new Grid(ReductionKernels.FinishSize);
        if (n <= ReductionKernels.MaxPartials)
        {
            ReductionKernels.SumOfSquaresFinishKernel.Dispatch(device, finish, x, output, un, true, beta);
            return;
        }
        uint partials = (uint)Math.Min(ReductionKernels.MaxPartials, ((long)n + 255) / 256);
        var scratch = Scratch(device);
        ReductionKernels.SumOfSquaresPartialsKernel.Dispatch(device, partials, x, scratch, un, partials);
        ReductionKernels.SumOfSquaresFinishKernel.Dispatch(device, finish, scratch, output, partials, false, beta);
    }

    private static readonly ConditionalWeakTable<ComputeDevice, ConcurrentDictionary<int, GpuBuffer<float>>> Scratches = new();

    /// <summary>
    /// The calling thread's scratch of <see cref="ReductionKernels.MaxPartials"/> floats on the device: one per thread,
    /// so two threads' reductions never share partial sums while both are queued.
    /// </summary>
    private static GpuBuffer<float> Scratch(ComputeDevice device) =>
        Scratches.GetValue(device, static _ => new()).GetOrAdd(Environment.CurrentManagedThreadId,
            static (_, d) => d.CreateBuffer<float>(ReductionKernels.MaxPartials), device);
}
