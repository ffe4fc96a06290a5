using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// Layer normalisation over the last axis of [rows, cols]: y = (x - mean) * rstd * gamma + beta with
/// rstd = 1 / sqrt(var + eps), the variance computed in a second pass over (x - mean)^2 (no cancellation, and exactly
/// 0 for a constant row, whose output is then beta). The forward pass saves mean and rstd per row for the backward.
/// Row-per-invocation and workgroup-per-row variants, as in <see cref="SoftmaxKernels"/>.
/// </summary>
public static partial class LayerNormKernels
{
    /// <summary>Invocations of the workgroup-per-row kernels.</summary>
    public const int GroupSize = 64;

    /// <summary>One invocation per row: a pass for the mean, one for the variance, one to write.</summary>
    [ComputeKernel(64)]
    public static void ForwardRows(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> gamma, ReadOnlyBuffer<float> beta, ReadWriteBuffer<float> y,
        ReadWriteBuffer<float> mean, ReadWriteBuffer<float> rstd, uint rows, uint cols, float epsilon, uint rowWidth)
    {
        uint row = GlobalId.Y * rowWidth + GlobalId.X;
        if (GlobalId.X >= rowWidth || row >= rows) return;
        uint start = row * cols;
        float sum = 0f;
        for (uint j = 0; j < cols; j++) sum += x[start + j];
        float mu = sum / cols;
        float squares = 0f;
        for (uint j = 0; j < cols; j++)
        {
            float d = x[start + j] - mu;
            squares += d * d;
        }
        float r = 1f / MathF.Sqrt(squares / cols + epsilon);
        for (uint j = 0; j < cols; j++) y[start + j] = (x[start + j] - mu) * r * gamma[j] + beta[j];
        mean[row] = mu;
        rstd[row] = r;
    }

    /// <summary>One workgroup of 64 per row: the sum and the squared deviations by tree reductions in workgroup memory.</summary>
    [ComputeKernel(GroupSize)]
    public static void ForwardWorkgroup(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> gamma, ReadOnlyBuffer<float> beta, ReadWriteBuffer<float> y,
        ReadWriteBuffer<float> mean, ReadWriteBuffer<float> rstd, uint rows, uint cols, float epsilon, uint rowWidth)
    {
        var shared = WorkgroupArray<float>(GroupSize);
        uint row = WorkgroupId.Y * SoftmaxKernels.RowsPerGridRow + WorkgroupId.X;
        if (row >= rows) return;
        uint lane = LocalIndex;
        uint start = row * cols;

        float sum = 0f;
        for (uint j = lane; j < cols; j += GroupSize) sum += x[start + j];
        shared[lane] = sum;
        WorkgroupBarrier();
        for (uint s = GroupSize / 2; s > 0; s >>= 1)
        {
            if (lane < s) shared[lane] += shared[lane + s];
            WorkgroupBarrier();
        }
        float mu = shared[0] / cols;
        WorkgroupBarrier();

        float squares = 0f;
        for (uint j = lane; j < cols; j += GroupSize)
        {
            float d = x[start + j] - mu;
            squares += d * d;
        }
        shared[lane] = squares;
        WorkgroupBarrier();
        for (uint s = GroupSize / 2; s > 0; s >>= 1)
        {
            if (lane < s) shared[lane] += shared[lane + s];
            WorkgroupBarrier();
        }
        float r = 1f / MathF.Sqrt(shared[0] / cols + epsilon);

        for (uint j = lane; j < cols; j += GroupSize) y[start + j] = (x[start + j] - mu) * r * gamma[j] + beta[j];
        if (lane == 0)
        {
            mean[row] = mu;
            rstd[row] = r;
        }
    }

    /// <summary>
    /// dx for one row per invocation: with xhat = (x - mean) * rstd and g = dy * gamma,
    /// dx = rstd * (g - mean(g) - xhat * mean(g * xhat)); plus beta * dx.
    /// </summary>
    [ComputeKernel(64)]
    public static void BackwardRows(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> gamma, ReadOnlyBuffer<float> dy, ReadOnlyBuffer<float> mean,
        ReadOnlyBuffer<float> rstd, ReadWriteBuffer<float> dx, uint rows, uint cols, float beta, uint rowWidth)
    {
        uint row = GlobalId.Y * rowWidth + GlobalId.X;
        if (GlobalId.X >= rowWidth || row >= rows) return;
        uint start = row * cols;
        float mu = mean[row];
        float r = rstd[row];
        float sumG = 0f;
        float sumGX = 0f;
        for (uint j = 0; j < cols; j++)
        {
            float g = dy[start + j] * gamma[j];
            sumG += g;
            sumGX += g * (x[start + j] - mu) * r;
        }
        float meanG = sumG / cols;
        float meanGX = sumGX / cols;
        for (uint j = 0; j < cols; j++)
        {
            float xhat = (x[start + j] - mu) * r;
            float value = r * (dy[start + j] * gamma[j] - meanG - xhat * meanGX);
            if (beta != 0f) value += beta * dx[start + j];
            dx[start + j] = value;
        }
    }

    /// <summary>dx, one workgroup per row (the two row sums by tree reductions).</summary>
    [ComputeKernel(GroupSize)]
    public static void BackwardWorkgroup(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> gamma, ReadOnlyBuffer<float> dy, ReadOnlyBuffer<float> mean,
        ReadOnlyBuffer<float> rstd, ReadWriteBuffer<float> dx, uint rows, uint cols, float beta, uint rowWidth)
    {
        var sharedG = WorkgroupArray<float>(GroupSize);
        var sharedGX = WorkgroupArray<float>(GroupSize);
        uint row = WorkgroupId.Y * SoftmaxKernels.RowsPerGridRow + WorkgroupId.X;
        if (row >= rows) return;
        uint lane = LocalIndex;
        uint start = row * cols;
        float mu = mean[row];
        float r = rstd[row];
        float sumG = 0f;
        float sumGX = 0f;
        for (uint j = lane; j < cols; j += GroupSize)
        {
            float g = dy[start + j] * gamma[j];
            sumG += g;
            sumGX += g * (x[start + j] - mu) * r;
        }
        sharedG[lane] = sumG;
        sharedGX[lane] = sumGX;
        WorkgroupBarrier();
        for (uint s = GroupSize / 2; s > 0; s >>= 1)
        {
            if (lane < s)
            {
                sharedG[lane] += sharedG[lane + s];
                sharedGX[lane] += sharedGX[lane + s];
            }
            WorkgroupBarrier();
        }
        float meanG = sharedG[0] / cols;
        float meanGX = sharedGX[0] / cols;
        for (uint j = lane; j < cols; j += GroupSize)
        {
            float xhat = (x[start + j] - mu) * r;
            float value = r * (dy[start + j] * gamma[j] - meanG - xhat * meanGX);
            if (beta != 0f) value += beta * dx[start + j];
            dx[start + j] = value;
        }
    }

    /// <summary>
    /// dgamma[c] = sum over rows of dy * xhat, dbeta[c] = sum over rows of dy (plus beta * the old values), one
    /// invocation per column summing the rows in order: deterministic. Launch cols.
    /// </summary>
    [ComputeKernel(64)]
    public static void ParameterGradients(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> dy, ReadOnlyBuffer<float> mean, ReadOnlyBuffer<float> rstd,
        ReadWriteBuffer<float> dgamma, ReadWriteBuffer<float> dbeta, uint rows, uint cols, float beta)
    {
        uint c = GlobalId.X;
        if (c >= cols) return;
        float sumGamma = 0f;
        float sumBeta = 0f;
        uint index = c;
        for (uint r = 0; r < rows; r++)
        {
            float g = dy[index];
            sumGamma += g * (x[index] - mean[r]) * rstd[r];
            sumBeta += g;
            index += cols;
        }
        if (beta != 0f)
        {
            sumGamma += beta * dgamma[c];
            sumBeta += beta * dbeta[c];
        }
        dgamma[c] = sumGamma;
        dbeta[c] = sumBeta;
    }
}
