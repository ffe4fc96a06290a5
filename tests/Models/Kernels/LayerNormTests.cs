using KernelGen.Models.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>Layer norm forward and backward (both variants): float64, finite differences, constant rows, WebGPU vs CPU.</summary>
public class LayerNormTests
{
    private const float Epsilon = 1e-5f;

    public static TheoryData<RowVariant> Variants => new() { RowVariant.Row, RowVariant.Workgroup };

    private sealed record Result(float[] Y, float[] Mean, float[] Rstd, float[] Dx, float[] Dgamma, float[] Dbeta);

    private static Result Run(ComputeDevice device, float[] x, float[] gamma, float[] beta, float[] dy, int rows, int cols, RowVariant variant)
    {
        using var xb = device.CreateBuffer<float>(x);
        using var gb = device.CreateBuffer<float>(gamma);
        using var bb = device.CreateBuffer<float>(beta);
        using var yb = device.CreateBuffer<float>(x.Length);
        using var mean = device.CreateBuffer<float>(rows);
        using var rstd = device.CreateBuffer<float>(rows);
        using var dyb = device.CreateBuffer<float>(dy);
        using var dx = device.CreateBuffer<float>(x.Length);
        using var dgamma = device.CreateBuffer<float>(cols);
        using var dbeta = device.CreateBuffer<float>(cols);
        Ops.LayerNorm(device, xb, gb, bb, yb, mean, rstd, rows, cols, Epsilon, variant);
        Ops.LayerNormBackward(device, xb, gb, dyb, mean, rstd, dx, dgamma, dbeta, rows, cols, 0f, variant);
        return new Result(yb.Read(), mean.Read(), rstd.Read(), dx.Read(), dgamma.Read(), dbeta.Read());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Forward_matches_float64(RowVariant variant)
    {
        foreach (var (rows, cols) in new[] { (1, 1), (3, 7), (5, 65), (2, 300) })
        {
            float[] x = Floats(rows + cols, rows * cols, -3, 5), gamma = Floats(2, cols, 0.5f, 1.5f), beta = Floats(3, cols);
            var cpu = Run(CpuOracle, x, gamma, beta, new float[rows * cols], rows, cols, variant);
            string what = $"layer norm {variant} [{rows}, {cols}]";
            Close(Reference.LayerNorm(ToDouble(x), ToDouble(gamma), ToDouble(beta), rows, cols, Epsilon), cpu.Y, 1e-5, what);
            for (int r = 0; r < rows; r++)
                Assert.Equal(x.Skip(r * cols).Take(cols).Average(), cpu.Mean[r], 4);
            if (WebGpuTestDevice.SkipReason is null)
            {
                var gpu = Run(GpuDevice, x, gamma, beta, new float[rows * cols], rows, cols, variant);
                Close(cpu.Y, gpu.Y, 1e-5, what + " WebGPU vs CPU");
                Close(cpu.Rstd, gpu.Rstd, 1e-5, what + " rstd WebGPU vs CPU");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Backward_matches_finite_differences(RowVariant variant)
    {
        const int rows = 4, cols = 9;
        float[] x = Floats(4, rows * cols, -2, 2), gamma = Floats(5, cols, 0.5f, 1.5f), beta = Floats(6, cols), w = Floats(7, rows * cols);
        double[] xd = ToDouble(x), gd = ToDouble(gamma), bd = ToDouble(beta);
        var numericX = GradCheck.Numeric(v => GradCheck.Dot(w, Reference.LayerNorm(v, gd, bd, rows, cols, Epsilon)), xd, 1e-6);
        var numericGamma = GradCheck.Numeric(v => GradCheck.Dot(w, Reference.LayerNorm(xd, v, bd, rows, cols, Epsilon)), gd, 1e-6);
        var numericBeta = GradCheck.Numeric(v => GradCheck.Dot(w, Reference.LayerNorm(xd, gd, v, rows, cols, Epsilon)), bd, 1e-6);
        var cpu = Run(CpuOracle, x, gamma, beta, w, rows, cols, variant);
        Close(numericX, cpu.Dx, 1e-4, $"{variant} dx");
        Close(numericGamma, cpu.Dgamma, 1e-5, $"{variant} dgamma");
        Close(numericBeta, cpu.Dbeta, 1e-5, $"{variant} dbeta");
        if (WebGpuTestDevice.SkipReason is null)
        {
            var gpu = Run(GpuDevice, x, gamma, beta, w, rows, cols, variant);
            Close(cpu.Dx, gpu.Dx, 1e-5, $"{variant} dx WebGPU vs CPU");
            Close(cpu.Dgamma, gpu.Dgamma, 1e-5, $"{variant} dgamma WebGPU vs CPU");
            Close(cpu.Dbeta, gpu.Dbeta, 1e-6, $"{variant} dbeta WebGPU vs CPU");
        }
    }

    /// <summary>A constant row has variance 0: the output is beta and every gradient finite, even at 1e4.</summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public void Constant_rows_stay_finite(RowVariant variant)
    {
        const int rows = 3, cols = 70;
        var x = new float[rows * cols];
        for (int j = 0; j < cols; j++)
        {
            x[j] = 0f;
            x[cols + j] = 1e4f;
            x[2 * cols + j] = -3.25f;
        }
        float[] gamma = Floats(8, cols, 0.5f, 1.5f), beta = Floats(9, cols), dy = Floats(10, rows * cols);
        foreach (var device in Devices())
        {
            var result = Run(device, x, gamma, beta, dy, rows, cols, variant);
            foreach (var (values, name) in new[] { (result.Y, "y"), (result.Dx, "dx"), (result.Dgamma, "dgamma"), (result.Dbeta, "dbeta") })
                Finite(values, $"{name} on {device.Backend}");
            for (int r = 0; r < rows; r++)
                Close(ToDouble(beta), result.Y.Skip(r * cols).Take(cols).ToArray(), 1e-6, $"row {r} is beta on {device.Backend}");
        }
    }
}
