using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// Softmax and log-softmax along the last axis of a [rows, cols] tensor, their gradients, and cross-entropy with its
/// fused gradient. Numerically stable: every row subtracts its maximum before exponentiating, so logits of +-1e4
/// give finite results. Two variants of each with one signature: one invocation per row (no barriers; the choice
/// for many short rows, and on lavapipe), and one 64-invocation workgroup per row with workgroup reductions (long
/// rows, few of them).
/// </summary>
/// <remarks>
/// <para>Options: the input is multiplied by <c>scale</c> first (attention's 1/sqrt(d), fused). With
/// <c>causalPeriod</c> &gt; 0, row r sees only columns j &lt;= r % causalPeriod (a causal attention mask over
/// [batch * T, T] scores); masked outputs are 0 (softmax) or -infinity (log-softmax).</para>
/// <para>Row-per-invocation kernels index rows as <c>GlobalId.Y * rowWidth + GlobalId.X</c> (see
/// <see cref="Ops.InvocationGrid"/>); workgroup kernels as <c>WorkgroupId.Y * RowsPerGridRow + WorkgroupId.X</c>.</para>
/// </remarks>
public static partial class SoftmaxKernels
{
    /// <summary>Invocations of the workgroup-per-row kernels.</summary>
    public const int GroupSize = 64;

    /// <summary>Workgroups along X of a workgroup-per-row launch; further rows continue on the next Y.</summary>
    public const int RowsPerGridRow = 32768;

    /// <summary>Softmax (or log-softmax) of each row, one invocation per row: a pass for the maximum, one for the sum, one to write.</summary>
    [ComputeKernel(64)]
    public static void SoftmaxRows(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint rows, uint cols, bool log,
        float scale, uint causalPeriod, uint rowWidth)
    {
        uint row = GlobalId.Y * rowWidth + GlobalId.X;
        if (GlobalId.X >= rowWidth || row >= rows) return;
        uint start = row * cols;
        uint visible = causalPeriod > 0u ? Math.Min(cols, row % causalPeriod + 1u) : cols;
        float max = float.NegativeInfinity;
        for (uint j = 0; j < visible; j++) max = MathF.Max(max, scale * x[start + j]);
        float sum = 0f;
        for (uint j = 0; j < visible; j++) sum += MathF.Exp(scale * x[start + j] - max);
        float logSum = MathF.Log(sum);
        for (uint j = 0; j < cols; j++)
        {
            float shifted = scale * x[start + j] - max;
            float value;
            if (j >= visible) value = log ? float.NegativeInfinity : 0f;
            else value = log ? shifted - logSum : MathF.Exp(shifted - logSum);
            y[start + j] = value;
        }
    }

    /// <summary>The same, one workgroup of 64 per row: strided partial maxima and sums, combined by tree reductions.</summary>
    [ComputeKernel(GroupSize)]
    public static void SoftmaxWorkgroup(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint rows, uint cols, bool log,
        float scale, uint causalPeriod, uint rowWidth)
    {
        var shared = WorkgroupArray<float>(GroupSize);
        uint row = WorkgroupId.Y * RowsPerGridRow + WorkgroupId.X;
        if (row >= rows) return;
        uint lane = LocalIndex;
        uint start = row * cols;
        uint visible = causalPeriod > 0u ? Math.Min(cols, row % causalPeriod + 1u) : cols;

        float max = float.NegativeInfinity;
        for (uint j = lane; j < visible; j += GroupSize) max = MathF.Max(max, scale * x[start + j]);
        shared[lane] = max;
        WorkgroupBarrier();
        for (uint s = GroupSize / 2; s > 0; s >>= 1)
        {
            if (lane < s) shared[lane] = MathF.Max(shared[lane], shared[lane + s]);
            WorkgroupBarrier();
        }
        float rowMax = shared[0];
        WorkgroupBarrier();

        float sum = 0f;
        for (uint j = lane; j < visible; j += GroupSize) sum += MathF.Exp(scale * x[start + j] - rowMax);
        shared[lane] = sum;
        WorkgroupBarrier();
        for (uint s = GroupSize / 2; s > 0; s >>= 1)
        {
            if (lane < s) shared[lane] += shared[lane + s];
            WorkgroupBarrier();
        }
        float logSum = MathF.Log(shared[0]);

        for (uint j = lane; j < cols; j += GroupSize)
        {
            float shifted = scale * x[start + j] - rowMax;
            float value;
            if (j >= visible) value = log ? float.NegativeInfinity : 0f;
            else value = log ? shifted - logSum : MathF.Exp(shifted - logSum);
            y[start + j] = value;
        }
    }

    /// <summary>
    /// The gradient from the forward's output y: softmax dx = scale * y * (dy - sum(dy * y)); log-softmax
    /// dx = scale * (dy - exp(y) * sum(dy)). Masked positions (y = 0, or -infinity for log) get 0 and their dy is
    /// ignored. beta = 1 accumulates.
    /// </summary>
    [ComputeKernel(64)]
    public static void SoftmaxBackwardRows(ReadOnlyBuffer<float> y, ReadOnlyBuffer<float> dy, ReadWriteBuffer<float> dx,
        uint rows, uint cols, bool log, float scale, float beta, uint rowWidth)
    {
        uint row = GlobalId.Y * rowWidth + GlobalId.X;
        if (GlobalId.X >= rowWidth || row >= rows) return;
        uint start = row * cols;
        float dot = 0f;
        for (uint j = 0; j < cols; j++)
        {
            float yj = y[start + j];
            if (!log) dot += dy[start + j] * yj;
            else if (yj != float.NegativeInfinity) dot += dy[start + j]; // masked columns take no part
        }
        for (uint j = 0; j < cols; j++)
        {
            float yj = y[start + j];
            float g;
            if (log) g = yj == float.NegativeInfinity ? 0f : dy[start + j] - MathF.Exp(yj) * dot;
            else g = yj * (dy[start + j] - dot);
            g *= scale;
            if (beta != 0f) g += beta * dx[start + j];
            dx[start + j] = g;
        }
    }

    /// <summary>The gradient, one workgroup per row.</summary>
    [ComputeKernel(GroupSize)]
    public static void SoftmaxBackwardWorkgroup(ReadOnlyBuffer<float> y, ReadOnlyBuffer<float> dy, ReadWriteBuffer<float> dx,
        uint rows, uint cols, bool log, float scale, float beta, uint rowWidth)
    {
        var shared = WorkgroupArray<float>(GroupSize);
        uint row = WorkgroupId.Y * RowsPerGridRow + WorkgroupId.X;
        if (row >= rows) return;
        uint lane = LocalIndex;
        uint start = row * cols;
        float dot = 0f;
        for (uint j = lane; j < cols; j += GroupSize)
        {
            float yj = y[start + j];
            if (!log) dot += dy[start + j] * yj;
            else if (yj != float.NegativeInfinity) dot += dy[start + j]; // masked columns take no part
        }
        shared[lane] = dot;
        WorkgroupBarrier();
        for (uint s = GroupSize / 2; s > 0; s >>= 1)
        {
            if (lane < s) shared[lane] += shared[lane + s];
            WorkgroupBarrier();
        }
        float total = shared[0];
        for (uint j = lane; j < cols; j += GroupSize)
        {
            float yj = y[start + j];
            float g;
            if (log) g = yj == float.NegativeInfinity ? 0f : dy[start + j] - MathF.Exp(yj) * total;
            else g = yj * (dy[start + j] - total);
            g *= scale;
            if (beta != 0f) g += beta * dx[start + j];
            dx[start + j] = g;
        }
    }

    /// <summary>
    /// Cross-entropy of each row's logits against its target class, and the fused gradient: loss[r] =
    /// logsumexp(x_r) - x_r[target], grad[r, j] = (softmax(x_r)_j - [j == target]) * gradScale (gradScale = 1/batch
    /// for a mean loss). A target outside [0, cols) (padding, e.g. -1) gives loss 0 and gradient 0.
    /// </summary>
    [ComputeKernel(64)]
    public static void CrossEntropyRows(ReadOnlyBuffer<float> logits, ReadOnlyBuffer<int> targets, ReadWriteBuffer<float> losses,
        ReadWriteBuffer<float> grad, uint rows, uint cols, float gradScale, uint rowWidth)
    {
        uint row = GlobalId.Y * rowWidth + GlobalId.X;
        if (GlobalId.X >= rowWidth || row >= rows) return;
        uint start = row * cols;
        int target = targets[row];
        bool valid = target >= 0 && (uint)target < cols;
        float max = float.NegativeInfinity;
        for (uint j = 0; j < cols; j++) max = MathF.Max(max, logits[start + j]);
        float sum = 0f;
        for (uint j = 0; j < cols; j++) sum += MathF.Exp(logits[start + j] - max);
        // Everything relative to the maximum: logSum - logit as (max - logit) + log(sum) keeps the loss exact when
        // the logits are large (-1e4 + 1.386 would round to a multiple of 2^-10).
        float logSum = MathF.Log(sum);
        float loss = 0f;
        for (uint j = 0; j < cols; j++)
        {
            float shifted = logits[start + j] - max;
            bool hit = valid && (int)j == target;
            if (hit) loss = logSum - shifted;
            grad[start + j] = valid ? (MathF.Exp(shifted - logSum) - (hit ? 1f : 0f)) * gradScale : 0f;
        }
        losses[row] = loss;
    }

    /// <summary>Cross-entropy and its gradient, one workgroup per row.</summary>
    [ComputeKernel(GroupSize)]
    public static void CrossEntropyWorkgroup(ReadOnlyBuffer<float> logits, ReadOnlyBuffer<int> targets, ReadWriteBuffer<float> losses,
        ReadWriteBuffer<float> grad, uint rows, uint cols, float gradScale, uint rowWidth)
    {
        var shared = WorkgroupArray<float>(GroupSize);
        uint row = WorkgroupId.Y * RowsPerGridRow + WorkgroupId.X;
        if (row >= rows) return;
        uint lane = LocalIndex;
        uint start = row * cols;

        float max = float.NegativeInfinity;
        for (uint j = lane; j < cols; j += GroupSize) max = MathF.Max(max, logits[start + j]);
        shared[lane] = max;
        WorkgroupBarrier();
        for (uint s = GroupSize / 2; s > 0; s >>= 1)
        {
            if (lane < s) shared[lane] = MathF.Max(shared[lane], shared[lane + s]);
            WorkgroupBarrier();
        }
        float rowMax = shared[0];
        WorkgroupBarrier();

        float sum = 0f;
        for (uint j = lane; j < cols; j += GroupSize) sum += MathF.Exp(logits[start + j] - rowMax);
        shared[lane] = sum;
        WorkgroupBarrier();
        for (uint s = GroupSize / 2; s > 0; s >>= 1)
        {
            if (lane < s) shared[lane] += shared[lane + s];
            WorkgroupBarrier();
        }
        float logSum = MathF.Log(shared[0]);

        int target = targets[row];
        bool valid = target >= 0 && (uint)target < cols;
        for (uint j = lane; j < cols; j += GroupSize)
        {
            float shifted = logits[start + j] - rowMax;
            bool hit = valid && (int)j == target;
            grad[start + j] = valid ? (MathF.Exp(shifted - logSum) - (hit ? 1f : 0f)) * gradScale : 0f;
        }
        if (lane == 0)
        {
            float loss = 0f;
            if (valid) loss = logSum - (logits[start + (uint)target] - rowMax);
            losses[row] = loss;
        }
    }
}
