using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// Sum, mean and max along one axis of a tensor viewed as [outer, axis, inner] (row-major), giving [outer, inner];
/// and the gradient of each. Two forward variants with one signature: one invocation per output looping over the
/// axis (no barriers: the choice for many outputs, and on lavapipe), and one workgroup per output reducing in
/// workgroup memory (the choice for few, long reductions on a GPU).
/// </summary>
public static partial class ReductionKernels
{
    /// <summary>Sum of the axis.</summary>
    public const uint Sum = 0;

    /// <summary>Mean of the axis.</summary>
    public const uint Mean = 1;

    /// <summary>Maximum of the axis.</summary>
    public const uint Max = 2;

    /// <summary>Invocations of the workgroup-reduction kernel.</summary>
    public const int GroupSize = 64;

    /// <summary>One invocation per output element (o, i): loops over the axis in order. Launch (inner, outer).</summary>
    [ComputeKernel(64, 4)]
    public static void ReduceLoop(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint outer, uint axis, uint inner, uint kind)
    {
        uint i = GlobalId.X;
        uint o = GlobalId.Y;
        if (i >= inner || o >= outer) return;
        uint index = o * axis * inner + i;
        float acc = kind == Max ? float.NegativeInfinity : 0f;
        for (uint a = 0; a < axis; a++)
        {
            float v = x[index];
            acc = kind == Max ? MathF.Max(acc, v) : acc + v;
            index += inner;
        }
        if (kind == Mean) acc /= axis;
        y[o * inner + i] = acc;
    }

    /// <summary>
    /// One workgroup of 64 per output element: each invocation reduces a strided part of the axis, then a tree
    /// reduction in workgroup memory combines the 64 partial results. Launch (64 * inner, outer): output (o, i) is
    /// workgroup (i, o).
    /// </summary>
    [ComputeKernel(GroupSize)]
    public static void ReduceWorkgroup(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint outer, uint axis, uint inner, uint kind)
    {
        var partial = WorkgroupArray<float>(GroupSize);
        uint i = WorkgroupId.X;
        uint o = WorkgroupId.Y;
        uint lane = LocalIndex;
        float acc = kind == Max ? float.NegativeInfinity : 0f;
        if (i < inner && o < outer)
        {
            uint baseIndex = o * axis * inner + i;
            for (uint a = lane; a < axis; a += GroupSize)
            {
                float v = x[baseIndex + a * inner];
                acc = kind == Max ? MathF.Max(acc, v) : acc + v;
            }
        }
        partial[lane] = acc;
        WorkgroupBarrier();
        for (uint stride = GroupSize / 2; stride > 0; stride >>= 1)
        {
            if (lane < stride)
            {
                float other = partial[lane + stride];
                partial[lane] = kind == Max ? MathF.Max(partial[lane], other) : partial[lane] + other;
            }
            WorkgroupBarrier();
        }
        if (lane == 0 && i < inner && o < outer)
        {
            float result = partial[0];
            if (kind == Mean) result /= axis;
            y[o * inner + i] = result;
        }
    }

    /// <summary>
    /// The gradient of a reduction: dx[o, a, i] = dy[o, i] for a sum, dy[o, i] / axis for a mean, and for a max dy[o, i]
    /// at the first position of the maximum (y[o, i], the forward's result) and 0 elsewhere. beta = 1 accumulates into
    /// dx. One invocation per element of x; launch (inner, axis, outer).
    /// </summary>
    [ComputeKernel(64, 4)]
    public static void ReduceBackward(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> y, ReadOnlyBuffer<float> dy, ReadWriteBuffer<float> dx,
        uint outer, uint axis, uint inner, uint kind, float beta)
    {
        uint i = GlobalId.X;
        uint a = GlobalId.Y;
        uint o = GlobalId.Z;
        if (i >= inner || a >= axis || o >= outer) return;
        uint outIndex = o * inner + i;
        uint index = (o * axis + a) * inner + i;
        float g = dy[outIndex];
        if (kind == Mean) g /= axis;
        if (kind == Max)
        {
            float best = y[outIndex];
            if (x[index] != best) g = 0f;
            else
            {
                // Ties: only the first maximum gets the gradient, as the forward pass's comparison order implies.
                uint rowStart = o * axis * inner + i;
                for (uint b = 0; b < a; b++)
                {
                    if (x[rowStart + b * inner] == best)
                    {
                        g = 0f;
                        break;
                    }
                }
            }
        }
        if (beta != 0f) g += beta * dx[index];
        dx[index] = g;
    }

    /// <summary>Partial sums of <see cref="SumOfSquaresPartials"/>, at most (the second stage's input).</summary>
    public const int MaxPartials = 4096;

    /// <summary>Invocations of <see cref="SumOfSquaresFinish"/>'s one workgroup.</summary>
    public const int FinishSize = 256;

    /// <summary>
    /// indices[r] = the column of row r's maximum, the first one where several tie (as torch.argmax); a NaN counts as
    /// the maximum (the first NaN wins). One invocation per row of a [rows, cols] x, rows laid out as
    /// <c>GlobalId.Y * rowWidth + GlobalId.X</c> (<see cref="Ops.InvocationGrid"/>).
    /// </summary>
    [ComputeKernel(64)]
    public static void ArgmaxRows(ReadOnlyBuffer<float> x, ReadWriteBuffer<int> indices, uint rows, uint cols, uint rowWidth)
    {
        uint row = GlobalId.Y * rowWidth + GlobalId.X;
        if (GlobalId.X >= rowWidth || row >= rows) return;
        uint start = row * cols;
        float best = x[start];
        uint bestAt = 0;
        for (uint c = 1; c < cols; c++)
        {
            float v = x[start + c];
            if (!FloatBits.IsNaN(best) && (v > best || FloatBits.IsNaN(v)))
            {
                best = v;
                bestAt = c;
            }
        }
        indices[row] = (int)bestAt;
    }

    /// <summary>
    /// correct[r] = 1 when the argmax of logits row r (as <see cref="ArgmaxRows"/>) equals targets[r], else 0 (a target
    /// outside [0, cols), such as an ignore index, is never correct). Sum it for the count of correct predictions.
    /// </summary>
    [ComputeKernel(64)]
    public static void CorrectRows(ReadOnlyBuffer<float> logits, ReadOnlyBuffer<int> targets, ReadWriteBuffer<float> correct,
        uint rows, uint cols, uint rowWidth)
    {
        uint row = GlobalId.Y * rowWidth + GlobalId.X;
        if (GlobalId.X >= rowWidth || row >= rows) return;
        uint start = row * cols;
        float best = logits[start];
        uint bestAt = 0;
        for (uint c = 1; c < cols; c++)
        {
            float v = logits[start + c];
            if (!FloatBits.IsNaN(best) && (v > best || FloatBits.IsNaN(v)))
            {
                best = v;
                bestAt = c;
            }
        }
        correct[row] = targets[row] == (int)bestAt ? 1f : 0f;
    }

    /// <summary>
    /// The first stage of a sum of squares: partials[p] = sum of x[i]^2 over i = p, p + partialCount, ... &lt; n, in
    /// that order (neighbouring invocations read neighbouring elements). Launch partialCount.
    /// </summary>
    [ComputeKernel(256)]
    public static void SumOfSquaresPartials(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> partials, uint n, uint partialCount)
    {
        uint p = GlobalId.X;
        if (p >= partialCount) return;
        float sum = 0f;
        for (uint i = p; i < n; i += partialCount)
        {
            float v = x[i];
            sum += v * v;
        }
        partials[p] = sum;
    }

    /// <summary>
    /// The second stage (or the only one, for a short x with <paramref name="square"/>): one workgroup sums the first
    /// <paramref name="count"/> values (squared when <paramref name="square"/>), each invocation a strided part in
    /// order, then a tree in workgroup memory; output[0] = beta * output[0] + sum (beta = 0 does not read it). A fixed
    /// order throughout: the result is the same on every run. Launch <see cref="FinishSize"/>.
    /// </summary>
    [ComputeKernel(FinishSize)]
    public static void SumOfSquaresFinish(ReadOnlyBuffer<float> values, ReadWriteBuffer<float> output, uint count, bool square, float beta)
    {
        var partial = WorkgroupArray<float>(FinishSize);
        uint lane = LocalIndex;
        float sum = 0f;
        for (uint i = lane; i < count; i += FinishSize)
        {
            float v = values[i];
            sum += square ? v * v : v;
        }
        partial[lane] = sum;
        WorkgroupBarrier();
        for (uint stride = FinishSize / 2; stride > 0; stride >>= 1)
        {
            if (lane < stride) partial[lane] = partial[lane] + partial[lane + stride];
            WorkgroupBarrier();
        }
        if (lane == 0) output[0] = beta != 0f ? beta * output[0] + partial[0] : partial[0];
    }
}
