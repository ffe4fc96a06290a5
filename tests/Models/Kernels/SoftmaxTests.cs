using KernelGen.Models.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>Softmax, log-softmax and cross-entropy: float64 references, finite differences, extreme logits, WebGPU vs CPU.</summary>
public class SoftmaxTests
{
    private static readonly (int Rows, int Cols)[] Shapes = [(1, 1), (3, 7), (5, 65), (2, 300)];

    public static TheoryData<bool, RowVariant> Cases()
    {
        var data = new TheoryData<bool, RowVariant>();
        foreach (bool log in new[] { false, true })
            foreach (var variant in new[] { RowVariant.Row, RowVariant.Workgroup })
                data.Add(log, variant);
        return data;
    }

    private static float[] Forward(ComputeDevice device, float[] x, int rows, int cols, bool log, RowVariant variant, float scale = 1f, int causal = 0)
    {
        using var xb = device.CreateBuffer<float>(x);
        using var yb = device.CreateBuffer<float>(x.Length);
        Ops.Softmax(device, xb, yb, rows, cols, log, scale, causal, variant);
        return yb.Read();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_float64(bool log, RowVariant variant)
    {
        foreach (var (rows, cols) in Shapes)
        {
            float[] x = Floats(rows * 1000 + cols, rows * cols, -5, 5);
            var cpu = Forward(CpuOracle, x, rows, cols, log, variant, 0.7f);
            string what = $"{(log ? "log-softmax" : "softmax")} {variant} [{rows}, {cols}]";
            Close(Reference.Softmax(ToDouble(x), rows, cols, log, 0.7f), cpu, 2e-6, what);
            if (WebGpuTestDevice.SkipReason is null) Close(cpu, Forward(GpuDevice, x, rows, cols, log, variant, 0.7f), 2e-6, what + " WebGPU vs CPU");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Logits_of_plus_minus_1e4_stay_finite(bool log, RowVariant variant)
    {
        const int rows = 4, cols = 9;
        float[] x = Floats(1, rows * cols, -1e4f, 1e4f);
        for (int j = 0; j < cols; j++) x[j] = 1e4f;             // a row of equal huge logits
        for (int j = 0; j < cols; j++) x[cols + j] = -1e4f;     // and of equal tiny ones
        x[2 * cols] = 1e4f;
        x[2 * cols + 1] = -1e4f;
        var expected = Reference.Softmax(ToDouble(x), rows, cols, log);
        foreach (var device in Devices())
        {
            var y = Forward(device, x, rows, cols, log, variant);
            Finite(y, $"{variant} on {device.Backend}");
            Close(expected, y, 1e-6, $"{variant} on {device.Backend}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Causal_mask_hides_later_columns(bool log, RowVariant variant)
    {
        const int batch = 2, time = 5;
        float[] x = Floats(2, batch * time * time, -3, 3);
        var expected = Reference.Softmax(ToDouble(x), batch * time, time, log, 1, causalPeriod: time);
        foreach (var device in Devices())
            Close(expected, Forward(device, x, batch * time, time, log, variant, 1f, time), 2e-6, $"causal {variant} on {device.Backend}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_finite_differences(bool log, RowVariant variant)
    {
        foreach (int causal in new[] { 0, 6 })
        {
            const int rows = 12, cols = 6;
            const float scale = 0.8f;
            float[] x = Floats(3, rows * cols, -3, 3), w = Floats(4, rows * cols);
            // Masked outputs are constants (0 or -infinity): leave them out of the loss.
            double Loss(double[] xs)
            {
                var y = Reference.Softmax(xs, rows, cols, log, scale, causal);
                return Enumerable.Range(0, y.Length).Where(i => double.IsFinite(y[i])).Sum(i => w[i] * y[i]);
            }
            var numeric = GradCheck.Numeric(Loss, ToDouble(x), 1e-6);
            float[] Run(ComputeDevice device)
            {
                using var xb = device.CreateBuffer<float>(x);
                using var yb = device.CreateBuffer<float>(x.Length);
                using var dy = device.CreateBuffer<float>(w);
                using var dx = device.CreateBuffer<float>(x.Length);
                Ops.Softmax(device, xb, yb, rows, cols, log, scale, causal, variant);
                Ops.SoftmaxBackward(device, yb, dy, dx, rows, cols, log, scale, 0f, variant);
                return dx.Read();
            }
            var cpu = Run(CpuOracle);
            string what = $"{(log ? "log-softmax" : "softmax")} {variant} causal={causal} gradient";
            Close(numeric, cpu, 1e-5, what);
            if (WebGpuTestDevice.SkipReason is null) Close(cpu, Run(GpuDevice), 1e-5, what + " WebGPU vs CPU");
        }
    }

    private static (float[] Losses, float[] Grad) CrossEntropy(ComputeDevice device, float[] logits, int[] targets, int rows, int cols, RowVariant variant)
    {
        using var lb = device.CreateBuffer<float>(logits);
        using var tb = device.CreateBuffer<int>(targets);
        using var losses = device.CreateBuffer<float>(rows);
        using var grad = device.CreateBuffer<float>(rows * cols);
        Ops.CrossEntropy(device, lb, tb, losses, grad, rows, cols, variant: variant);
        return (losses.Read(), grad.Read());
    }

    [Theory]
    [InlineData(RowVariant.Row)]
    [InlineData(RowVariant.Workgroup)]
    public void Cross_entropy_and_its_fused_gradient_match_float64(RowVariant variant)
    {
        foreach (var (rows, cols) in new[] { (1, 1), (7, 5), (3, 130) })
        {
            float[] logits = Floats(5 + cols, rows * cols, -4, 4);
            int[] targets = Ints(6, rows, 0, cols);
            if (rows > 1) targets[1] = -1; // ignored
            var losses = Reference.CrossEntropy(ToDouble(logits), targets, rows, cols);
            // The mean loss over the rows, as the default gradScale = 1/rows assumes.
            var numeric = GradCheck.Numeric(x => Reference.CrossEntropy(x, targets, rows, cols).Sum() / rows, ToDouble(logits), 1e-6);
            var cpu = CrossEntropy(CpuOracle, logits, targets, rows, cols, variant);
            string what = $"cross-entropy {variant} [{rows}, {cols}]";
            Close(losses, cpu.Losses, 2e-6, what + " losses");
            Close(numeric, cpu.Grad, 1e-6, what + " gradient");
            if (WebGpuTestDevice.SkipReason is null)
            {
                var gpu = CrossEntropy(GpuDevice, logits, targets, rows, cols, variant);
                Close(cpu.Losses, gpu.Losses, 2e-6, what + " losses WebGPU vs CPU");
                Close(cpu.Grad, gpu.Grad, 1e-6, what + " gradient WebGPU vs CPU");
            }
        }
    }

    [Theory]
    [InlineData(RowVariant.Row)]
    [InlineData(RowVariant.Workgroup)]
    public void Cross_entropy_stays_finite_for_logits_of_plus_minus_1e4(RowVariant variant)
    {
        const int rows = 3, cols = 4;
        float[] logits = [1e4f, -1e4f, 0f, 5f, -1e4f, -1e4f, -1e4f, -1e4f, 1e4f, 1e4f, -1e4f, 1e4f];
        int[] targets = [1, 2, 3];
        var expected = Reference.CrossEntropy(ToDouble(logits), targets, rows, cols);
        foreach (var device in Devices())
        {
            var (losses, grad) = CrossEntropy(device, logits, targets, rows, cols, variant);
            Finite(losses, "losses");
            Finite(grad, "gradient");
            Close(expected, losses, 1e-6, $"losses on {device.Backend}");
            Assert.Equal(2e4f, losses[0], 1f); // the target's logit is 2e4 below the winner's
        }
    }

    [Fact]
    public void Chooser_takes_a_workgroup_only_for_long_rows_on_the_cpu()
    {
        Assert.Equal(RowVariant.Row, Ops.ChooseRowVariant(CpuOracle, 4096, 512));
        Assert.Equal(RowVariant.Workgroup, Ops.ChooseRowVariant(CpuOracle, 8, 50_000));
    }
}
