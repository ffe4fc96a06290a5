namespace KernelGen.Models.Kernels;

public static partial class Ops
{
    /// <summary>
    /// Layer norm over the last axis of [rows, cols] with per-column gamma and beta; writes y and, for the backward
    /// pass, each row's mean and rstd (1 / standard deviation).
    /// </summary>
    public static void LayerNorm(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> gamma, GpuBufferView<float> beta, GpuBufferView<float> y,
        GpuBufferView<float> mean, GpuBufferView<float> rstd, int rows, int cols, float epsilon = 1e-5f, RowVariant variant = RowVariant.Auto)
    {
        uint r = Positive(rows, nameof(rows)), c = Positive(cols, nameof(cols));
        Require(x, (long)rows * cols, nameof(x));
        Require(y, (long)rows * cols, nameof(y));
        Require(gamma, cols, nameof(gamma));
        Require(beta, cols, nameof(beta));
        Require(mean, rows, nameof(mean));
        Require(rstd, rows, nameof(rstd));
        Distinct(y, nameof(y), (x, nameof(x)), (gamma, nameof(gamma)), (beta, nameof(beta)), (mean, nameof(mean)), (rstd, nameof(rstd)));
        Distinct(mean, nameof(mean), (x, nameof(x)), (rstd, nameof(rstd)));
        Distinct(rstd, nameof(rstd), (x, nameof(x)));
        if (variant == RowVariant.Auto) variant = ChooseRowVariant(device, rows, cols);
        if (variant == RowVariant.Workgroup)
        {
            LayerNormKernels.ForwardWorkgroupKernel.Dispatch(device, WorkgroupRowsGrid(rows, LayerNormKernels.GroupSize),
                x, gamma, beta, y, mean, rstd, r, c, epsilon, 0);
            return;
        }
        var (grid, width) = InvocationGrid(rows);
        LayerNormKernels.ForwardRowsKernel.Dispatch(device, grid, x, gamma, beta, y, mean, rstd, r, c, epsilon, width);
    }

    /// <summary>
    /// The layer norm's gradients from the forward's x, mean and rstd: dx (plus beta * dx), and dgamma, dbeta (plus
    /// beta * their old values, so a shared layer can accumulate).
    /// </summary>
    public static void LayerNormBackward(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> gamma, GpuBufferView<float> dy,
        GpuBufferView<float> mean, GpuBufferView<float> rstd, GpuBufferView<float> dx, GpuBufferView<float> dgamma, GpuBufferView<float> dbeta,
        int rows, int cols, float beta = 0f, RowVariant variant = RowVariant.Auto)
    {
        uint r = Positive(rows, nameof(rows)), c = Positive(cols, nameof(cols));
        Require(x, (long)rows * cols, nameof(x));
        Require(dy, (long)rows * cols, nameof(dy));
        Require(dx, (long)rows * cols, nameof(dx));
        Require(gamma, cols, nameof(gamma));
        Require(dgamma, cols, nameof(dgamma));
        Require(dbeta, cols, nameof(dbeta));
        Require(mean, rows, nameof(mean));
        Require(rstd, rows, nameof(rstd));
        Distinct(dx, nameof(dx), (x, nameof(x)), (gamma, nameof(gamma)), (dy, nameof(dy)), (mean, nameof(mean)), (rstd, nameof(rstd)), (dgamma, nameof(dgamma)), (dbeta, nameof(dbeta)));
        Distinct(dgamma, nameof(dgamma), (x, nameof(x)), (dy, nameof(dy)), (mean, nameof(mean)), (rstd, nameof(rstd)), (dbeta, nameof(dbeta)));
        Distinct(dbeta, nameof(dbeta), (x, nameof(x)), (dy, nameof(dy)), (mean, nameof(mean)), (rstd, nameof(rstd)));
        if (variant == RowVariant.Auto) variant = ChooseRowVariant(device, rows, cols);
        if (variant == RowVariant.Workgroup)
        {
            LayerNormKernels.BackwardWorkgroupKernel.Dispatch(device, WorkgroupRowsGrid(rows, LayerNormKernels.GroupSize),
                x, gamma, dy, mean, rstd, dx, r, c, beta, 0);
        }
        else
        {
            var (grid, width) = InvocationGrid(rows);
            LayerNormKernels.BackwardRowsKernel.Dispatch(device, grid, x, gamma, dy, mean, rstd, dx, r, c, beta, width);
        }
        LayerNormKernels.ParameterGradientsKernel.Dispatch(device, cols, x, dy, mean, rstd, dgamma, dbeta, r, c, beta);
    }
}
