using KernelGen.Models.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>Binary operations with broadcasting, activations and their gradients, dropout, and large launches.</summary>
public class PointwiseTests
{
    /// <summary>(yInner, yCount) over n = 2 * 3 * 5 * 7 = 210: elementwise, a row vector, per channel, a scalar.</summary>
    public static TheoryData<BinaryOp, int, int> BinaryCases()
    {
        var data = new TheoryData<BinaryOp, int, int>();
        foreach (var op in Enum.GetValues<BinaryOp>())
            foreach (var (inner, count) in new[] { (1, 210), (1, 7), (35, 3), (1, 1) })
                data.Add(op, inner, count);
        return data;
    }

    private static float[] RunBinary(ComputeDevice device, BinaryOp op, float[] x, float[] y, int inner, int count)
    {
        using var xb = device.CreateBuffer<float>(x);
        using var yb = device.CreateBuffer<float>(y);
        using var output = device.CreateBuffer<float>(x.Length);
        Ops.Binary(device, op, xb, yb, output, x.Length, inner, count);
        return output.Read();
    }

    private static double Apply(BinaryOp op, double a, double b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        _ => a / b,
    };

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_broadcasts_like_the_reference(BinaryOp op, int inner, int count)
    {
        const int n = 210;
        float[] x = Floats(1, n, -3, 3), y = Floats(2, count, 0.5f, 2);
        var expected = Enumerable.Range(0, n).Select(i => Apply(op, x[i], y[i / inner % count])).ToArray();
        var cpu = RunBinary(CpuOracle, op, x, y, inner, count);
        Close(expected, cpu, 1e-6, $"{op} ({inner}, {count}) CPU backend");
        if (WebGpuTestDevice.SkipReason is null)
            Close(cpu, RunBinary(GpuDevice, op, x, y, inner, count), 1e-6, $"{op} ({inner}, {count}) WebGPU vs CPU");
    }

    /// <summary>
    /// The gradients of a broadcast add and multiply: dx from Binary (dy, or dy * y broadcast), dy_broadcast from
    /// ReduceToBroadcast, against central differences of L = sum w * (x op y_broadcast) in float64.
    /// </summary>
    [Theory]
    [InlineData(BinaryOp.Add, 1, 7)]
    [InlineData(BinaryOp.Multiply, 1, 7)]
    [InlineData(BinaryOp.Multiply, 35, 3)]
    public void Broadcast_gradients_match_finite_differences(BinaryOp op, int inner, int count)
    {
        const int n = 210;
        float[] x = Floats(3, n, -2, 2), y = Floats(4, count, -2, 2), w = Floats(5, n);
        double Loss(double[] xs, double[] ys) => Enumerable.Range(0, n).Sum(i => w[i] * Apply(op, xs[i], ys[i / inner % count]));
        var numericX = GradCheck.Numeric(xs => Loss(xs, ToDouble(y)), ToDouble(x));
        var numericY = GradCheck.Numeric(ys => Loss(ToDouble(x), ys), ToDouble(y));
        (float[] Dx, float[] Dy) Run(ComputeDevice device)
        {
            using var xb = device.CreateBuffer<float>(x);
            using var yb = device.CreateBuffer<float>(y);
            using var wb = device.CreateBuffer<float>(w);
            using var dx = device.CreateBuffer<float>(n);
            using var dy = device.CreateBuffer<float>(count);
            if (op == BinaryOp.Add) device.Copy(wb, dx);
            else Ops.Binary(device, BinaryOp.Multiply, wb, yb, dx, n, inner, count);
            Ops.ReduceToBroadcast(device, wb, xb, dy, n, inner, count, multiplyByX: op == BinaryOp.Multiply);
            return (dx.Read(), dy.Read());
        }
        var cpu = Run(CpuOracle);
        Close(numericX, cpu.Dx, 1e-6, "dx");
        Close(numericY, cpu.Dy, 1e-5, "dy (broadcast)");
        if (WebGpuTestDevice.SkipReason is null)
        {
            var gpu = Run(GpuDevice);
            Close(cpu.Dx, gpu.Dx, 1e-6, "dx WebGPU vs CPU");
            Close(cpu.Dy, gpu.Dy, 1e-6, "dy WebGPU vs CPU");
        }
    }

    [Fact]
    public void ReduceToBroadcast_accumulates_with_beta()
    {
        float[] dy = Floats(6, 12), old = [1f, 2f, 3f];
        using var dyb = CpuOracle.CreateBuffer<float>(dy);
        using var output = CpuOracle.CreateBuffer<float>(old);
        Ops.ReduceToBroadcast(CpuOracle, dyb, null, output, 12, 1, 3, beta: 1f);
        var expected = Enumerable.Range(0, 3).Select(j => old[j] + Enumerable.Range(0, 4).Sum(r => (double)dy[r * 3 + j])).ToArray();
        Close(expected, output.Read(), 1e-6, "beta = 1");
    }

    private static readonly float[] ActivationInputs =
        [.. Floats(7, 60, -4, 4), 0.25f, -0.25f, 9.5f, -9.5f, 20f, -20f, 1e4f, -1e4f, 3e38f, -3e38f];

    public static TheoryData<ActivationKind> Kinds => new(Enum.GetValues<ActivationKind>());

    private static float[] RunActivation(ComputeDevice device, ActivationKind kind, float[] x)
    {
        using var xb = device.CreateBuffer<float>(x);
        using var yb = device.CreateBuffer<float>(x.Length);
        Ops.Activate(device, kind, xb, yb, x.Length);
        return yb.Read();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Activation_matches_float64_and_stays_finite(ActivationKind kind)
    {
        var expected = ActivationInputs.Select(v => Reference.Activate(v, (uint)kind)).ToArray();
        foreach (var device in Devices())
        {
            var y = RunActivation(device, kind, ActivationInputs);
            Finite(y, $"{kind} on {device.Backend}");
            Close(expected, y, 2e-6, $"{kind} on {device.Backend}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Activation_gradient_matches_finite_differences(ActivationKind kind)
    {
        // Away from ReLU's kink (central differences straddling 0 are meaningless there).
        float[] x = ActivationInputs.Where(v => Math.Abs(v) > 1e-3 && Math.Abs(v) < 1e30).ToArray();
        float[] w = Floats(8, x.Length);
        var numeric = GradCheck.Numeric(xs => Enumerable.Range(0, xs.Length).Sum(i => w[i] * Reference.Activate(xs[i], (uint)kind)), ToDouble(x), 1e-6);
        float[] Run(ComputeDevice device)
        {
            using var xb = device.CreateBuffer<float>(x);
            using var wb = device.CreateBuffer<float>(w);
            using var dx = device.CreateBuffer<float>(x.Length);
            Ops.ActivationBackward(device, kind, xb, wb, dx, x.Length);
            return dx.Read();
        }
        var cpu = Run(CpuOracle);
        Finite(cpu, kind.ToString());
        Close(numeric, cpu, 1e-4, $"{kind}' vs finite differences");
        if (WebGpuTestDevice.SkipReason is null) Close(cpu, Run(GpuDevice), 1e-5, $"{kind}' WebGPU vs CPU");
    }

    [Theory]
    [InlineData(ActivationKind.Relu)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Identity)]
    public void Activation_gradient_from_the_output_matches_finite_differences_and_the_input_form(ActivationKind kind)
    {
        float[] x = ActivationInputs.Where(v => Math.Abs(v) > 1e-3 && Math.Abs(v) < 1e30).ToArray();
        float[] w = Floats(9, x.Length), dxOld = Floats(10, x.Length);
        var numeric = GradCheck.Numeric(xs => Enumerable.Range(0, xs.Length).Sum(i => w[i] * Reference.Activate(xs[i], (uint)kind)), ToDouble(x), 1e-6);
        (float[] FromOutput, float[] FromInput, float[] Accumulated) Run(ComputeDevice device)
        {
            using var xb = device.CreateBuffer<float>(x);
            using var yb = device.CreateBuffer<float>(x.Length);
            using var wb = device.CreateBuffer<float>(w);
            using var dx = device.CreateBuffer<float>(x.Length);
            using var dxInput = device.CreateBuffer<float>(x.Length);
            using var dxAccumulated = device.CreateBuffer<float>(dxOld);
            Ops.Activate(device, kind, xb, yb, x.Length);
            Ops.ActivationBackwardFromOutput(device, kind, yb, wb, dx, x.Length);
            Ops.ActivationBackward(device, kind, xb, wb, dxInput, x.Length);
            Ops.ActivationBackwardFromOutput(device, kind, yb, wb, dxAccumulated, x.Length, beta: 1f);
            return (dx.Read(), dxInput.Read(), dxAccumulated.Read());
        }
        var cpu = Run(CpuOracle);
        Close(numeric, cpu.FromOutput, 1e-4, $"{kind}' from the output vs finite differences");
        // The same float ops as the derivative from the input (f(x) computed the same way): bit for bit.
        Assert.Equal(cpu.FromInput, cpu.FromOutput);
        Close(cpu.FromOutput.Zip(dxOld, (a, b) => (double)a + b).ToArray(), cpu.Accumulated, 1e-6, $"{kind}' accumulated (beta = 1)");
        if (WebGpuTestDevice.SkipReason is null)
        {
            var gpu = Run(GpuDevice);
            Close(cpu.FromOutput, gpu.FromOutput, 1e-5, $"{kind}' from the output, WebGPU vs CPU");
            Close(cpu.Accumulated, gpu.Accumulated, 1e-5, $"{kind}' accumulated, WebGPU vs CPU");
        }
    }

    [Fact]
    public void Activation_gradient_from_the_output_refuses_GELU()
    {
        using var b = CpuOracle.CreateBuffer<float>(4);
        using var dy = CpuOracle.CreateBuffer<float>(4);
        using var dx = CpuOracle.CreateBuffer<float>(4);
        var e = Assert.Throws<ArgumentException>(() => Ops.ActivationBackwardFromOutput(CpuOracle, ActivationKind.Gelu, b, dy, dx, 4));
        Assert.Equal("kind", e.ParamName);
        Assert.Contains("ActivationBackward", e.Message);
    }

    private static float[] RunDropout(ComputeDevice device, float[] x, float p, uint seed)
    {
        using var xb = device.CreateBuffer<float>(x);
        using var yb = device.CreateBuffer<float>(x.Length);
        Ops.Dropout(device, xb, yb, x.Length, p, seed);
        return yb.Read();
    }

    [Fact]
    public void Dropout_is_a_seeded_scaled_mask_and_its_own_backward()
    {
        const int n = 20_000;
        const float p = 0.3f;
        float[] x = Floats(9, n, 1, 2); // never zero, so a zero output means dropped
        var y = RunDropout(CpuOracle, x, p, 42);
        Assert.Equal(y, RunDropout(CpuOracle, x, p, 42));
        var other = RunDropout(CpuOracle, x, p, 43);
        Assert.NotEqual(y.Select(v => v == 0), other.Select(v => v == 0));
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            if (y[i] == 0) continue;
            kept++;
            Assert.True(Math.Abs(x[i] / (1.0 - p) - y[i]) <= 1e-6 * y[i], $"element {i}: {y[i]} is not {x[i]} / (1 - p)");
        }
        // Binomial(20000, 0.7): standard deviation ~65; 5 sigma.
        Assert.InRange(kept, 0.7 * n - 325, 0.7 * n + 325);
        // Backward: the same mask and scale on dy.
        float[] dy = Floats(10, n, 1, 2);
        using var dyb = CpuOracle.CreateBuffer<float>(dy);
        using var dx = CpuOracle.CreateBuffer<float>(n);
        Ops.DropoutBackward(CpuOracle, dyb, dx, n, p, 42);
        var dxs = dx.Read();
        for (int i = 0; i < n; i++) Assert.Equal(y[i] == 0, dxs[i] == 0);
        // No correlation between neighbours or with the index: consecutive keep decisions agree about p^2 + (1-p)^2.
        int agree = 0;
        for (int i = 1; i < n; i++) if ((y[i] == 0) == (y[i - 1] == 0)) agree++;
        Assert.InRange(agree / (double)(n - 1), 0.58 - 0.03, 0.58 + 0.03);
        if (WebGpuTestDevice.SkipReason is null)
        {
            var gpu = RunDropout(GpuDevice, x, p, 42);
            for (int i = 0; i < n; i++) Assert.True((gpu[i] == 0) == (y[i] == 0), $"element {i}: the mask differs on WebGPU");
            Close(y, gpu, 1e-6, "dropout WebGPU vs CPU");
        }
    }

    [Fact]
    public void Axpby_scales_and_accumulates()
    {
        float[] x = Floats(11, 33), y = Floats(12, 33);
        foreach (var device in Devices())
        {
            using var xb = device.CreateBuffer<float>(x);
            using var yb = device.CreateBuffer<float>(y);
            Ops.Axpby(device, xb, yb, 2f, -0.5f, 33);
            Close(Enumerable.Range(0, 33).Select(i => 2.0 * x[i] - 0.5 * y[i]).ToArray(), yb.Read(), 1e-6, $"axpby on {device.Backend}");
        }
    }

    [Fact]
    public void Element_grid_spreads_over_two_dimensions_past_65535_workgroups()
    {
        Assert.Equal((new Grid(13), 13u), Ops.ElementGrid(100)); // 8 elements per invocation
        var (grid, width) = Ops.ElementGrid(65535 * 256 * 8 + 1);
        Assert.Equal(Ops.MaxRowWidth, width);
        Assert.Equal(new Grid(Ops.MaxRowWidth, 2), grid);
        Assert.Equal(65535u, (grid.X + 255) / 256); // never more than 65535 workgroups along an axis
    }

    /// <summary>
    /// The multi-row layout a tensor of more than 65535 * 256 * 8 elements gets, exercised with short rows (64
    /// invocations) so it stays small: every element is computed once, on both devices.
    /// </summary>
    [Fact]
    public void Elementwise_kernels_cover_every_element_of_a_multi_row_launch()
    {
        const int n = 64 * 8 * 5 + 37; // five full rows and a partial one
        float[] x = Floats(20, n);
        float[] y = [0.5f, 1.5f, 2.5f];
        var (grid, width) = Ops.ElementGrid(n, maxRowWidth: 64);
        Assert.Equal(new Grid(64, 6), grid);
        foreach (var device in Devices())
        {
            using var xb = device.CreateBuffer<float>(x);
            using var yb = device.CreateBuffer<float>(y);
            using var output = device.CreateBuffer<float>(Enumerable.Repeat(float.NaN, n).ToArray());
            PointwiseKernels.BinaryKernel.Dispatch(device, grid, xb, yb, output, (uint)n, width, 1u, 3u, PointwiseKernels.OpAdd);
            var result = output.Read();
            for (int i = 0; i < n; i++)
                Assert.True(result[i] == x[i] + y[i % 3], $"element {i} is {result[i]} on {device.Backend}");
        }
    }
}
