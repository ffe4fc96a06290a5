using KernelGen.Models.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>
/// What a training step computes on the device besides the model: argmax and correct predictions, the gradients'
/// sum of squares and the clipping factor, and the metrics gathered into one small buffer read back once.
/// </summary>
public class MetricsTests
{
    /// <summary>The first maximum of each row (NaN counts as the maximum), as torch.argmax.</summary>
    private static int[] ReferenceArgmax(float[] x, int rows, int cols)
    {
        var result = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int best = 0;
            for (int c = 1; c < cols; c++)
            {
                float b = x[r * cols + best], v = x[r * cols + c];
                if (!float.IsNaN(b) && (v > b || float.IsNaN(v))) best = c;
            }
            result[r] = best;
        }
        return result;
    }

    /// <summary>Rows with ties (rounded to a few values), a NaN, infinities, one column, and a random block.</summary>
    private static float[] Logits(int rows, int cols, int seed)
    {
        var x = Floats(seed, rows * cols, -3, 3).Select(v => MathF.Round(v)).ToArray(); // few distinct values: many ties
        if (rows > 3 && cols > 2)
        {
            x[1 * cols + 2] = float.NaN;
            x[2 * cols + 1] = float.PositiveInfinity;
            x[2 * cols + cols - 1] = float.PositiveInfinity;
            for (int c = 0; c < cols; c++) x[3 * cols + c] = float.NegativeInfinity;
        }
        return x;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 5)]
    [InlineData(70, 10)]
    [InlineData(300, 3)]
    public void Argmax_takes_the_first_maximum_like_the_reference(int rows, int cols)
    {
        float[] x = Logits(rows, cols, rows + cols);
        var expected = ReferenceArgmax(x, rows, cols);
        foreach (var device in Devices())
        {
            using var xb = device.CreateBuffer<float>(x);
            using var indices = device.CreateBuffer<int>(rows);
            Ops.Argmax(device, xb, indices, rows, cols);
            Assert.Equal(expected, indices.Read());
        }
    }

    [Fact]
    public void Argmax_of_exact_ties_is_the_first()
    {
        float[] x = [2f, 5f, 5f, 1f, /**/ 0f, 0f, 0f, 0f, /**/ -1f, -1f, -0.5f, -0.5f];
        foreach (var device in Devices())
        {
            using var xb = device.CreateBuffer<float>(x);
            using var indices = device.CreateBuffer<int>(3);
            Ops.Argmax(device, xb, indices, 3, 4);
            Assert.Equal([1, 0, 2], indices.Read());
        }
    }

    [Theory]
    [InlineData(7, 5)]
    [InlineData(70, 10)]
    public void Correct_marks_rows_whose_argmax_is_the_target_and_Reduce_counts_them(int rows, int cols)
    {
        float[] x = Logits(rows, cols, 3 * rows);
        var argmax = ReferenceArgmax(x, rows, cols);
        // Half the targets are the argmax, the rest another class; and an ignore index and one out of range.
        int[] targets = Enumerable.Range(0, rows).Select(r => r % 2 == 0 ? argmax[r] : (argmax[r] + 1) % cols).ToArray();
        targets[^1] = -100;
        targets[^2] = cols;
        var expected = Enumerable.Range(0, rows).Select(r => targets[r] == argmax[r] ? 1f : 0f).ToArray();
        foreach (var device in Devices())
        {
            using var xb = device.CreateBuffer<float>(x);
            using var tb = device.CreateBuffer<int>(targets);
            using var correct = device.CreateBuffer<float>(rows);
            using var count = device.CreateBuffer<float>(1);
            Ops.Correct(device, xb, tb, correct, rows, cols);
            Ops.Reduce(device, ReduceKind.Sum, correct, count, 1, rows, 1);
            Assert.Equal(expected, correct.Read());
            Assert.Equal(expected.Sum(), count.Read()[0]);
        }
    }

    [Fact]
    public void Accuracy_ops_check_their_shapes()
    {
        using var x = CpuOracle.CreateBuffer<float>(12);
        using var targets = CpuOracle.CreateBuffer<int>(2);
        using var correct = CpuOracle.CreateBuffer<float>(3);
        var e = Assert.Throws<ArgumentException>(() => Ops.Correct(CpuOracle, x, targets, correct, 3, 4));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("targets has 2 elements; this operation needs at least 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => Ops.Argmax(CpuOracle, x, targets, 2, 7));
        Assert.Contains("x has 12 elements; this operation needs at least 14", e.Message);
        Assert.Throws<ArgumentException>(() => Ops.Correct(CpuOracle, x, targets, x, 2, 4));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(100_003)]
    [InlineData(1_000_000)]
    public void SumOfSquares_matches_float64_and_is_deterministic(int n)
    {
        float[] x = Floats(n, n, -2, 2);
        double expected = x.Sum(v => (double)v * v);
        float Run(ComputeDevice device, float beta = 0f, float old = float.NaN)
        {
            using var xb = device.CreateBuffer<float>(x);
            using var output = device.CreateBuffer<float>([old]);
            Ops.SumOfSquares(device, xb, output, n, beta);
            return output.Read()[0];
        }
        var cpu = Run(CpuOracle);
        Close([expected], [cpu], 1e-5, $"sum of squares of {n} on the CPU backend (beta = 0 ignores the NaN there)");
        Assert.Equal(cpu, Run(CpuOracle));
        Close([expected + 0.5 * 3], [Run(CpuOracle, 0.5f, 3f)], 1e-5, $"beta = 0.5, n = {n}");
        if (WebGpuTestDevice.SkipReason is null)
        {
            var gpu = Run(GpuDevice);
            Close([(double)cpu], [gpu], 1e-5, $"sum of squares of {n}, WebGPU vs CPU");
            Assert.Equal(gpu, Run(GpuDevice));
        }
    }

    [Fact]
    public void Gradient_clipping_by_the_global_norm_on_the_device()
    {
        // Two gradient buffers, one global norm: s = |g1|^2 + |g2|^2 accumulated with beta = 1.
        float[] g1 = Floats(11, 300, -1, 1), g2 = Floats(12, 5000, -1, 1);
        double norm = Math.Sqrt(g1.Concat(g2).Sum(v => (double)v * v));
        foreach (var maxNorm in new[] { 1f, 1000f })
        {
            double scale = Math.Min(1, maxNorm / (norm + 1e-6));
            foreach (var device in Devices())
            {
                using var b1 = device.CreateBuffer<float>(g1);
                using var b2 = device.CreateBuffer<float>(g2);
                using var s = device.CreateBuffer<float>(1);
                using var scaleBuffer = device.CreateBuffer<float>(1);
                using (device.BeginBatch())
                {
                    Ops.SumOfSquares(device, b1, s, g1.Length);
                    Ops.SumOfSquares(device, b2, s, g2.Length, beta: 1f);
                    Ops.ClipScale(device, s, scaleBuffer, maxNorm);
                    Ops.ScaleInPlace(device, b1, scaleBuffer, g1.Length);
                    Ops.ScaleInPlace(device, b2, scaleBuffer, g2.Length);
                }
                string what = $"clip to {maxNorm} on {device.Backend}";
                Close([norm * norm], s.Read(), 1e-5, what + ": sum of squares");
                Close([scale], scaleBuffer.Read(), 1e-5, what + ": scale");
                Close(g1.Select(v => v * scale).ToArray(), b1.Read(), 1e-5, what + ": g1");
                Close(g2.Select(v => v * scale).ToArray(), b2.Read(), 1e-5, what + ": g2");
            }
        }
    }

    [Fact]
    public void ClipScale_of_a_non_finite_sum_is_zero_for_infinity_and_NaN_for_NaN()
    {
        foreach (var device in Devices())
        {
            using var s = device.CreateBuffer<float>([float.PositiveInfinity, 0f]);
            using var scale = device.CreateBuffer<float>(1);
            Ops.ClipScale(device, s, scale, 1f);
            Assert.Equal(0f, scale.Read()[0]);
            s.Upload([float.NaN]);
            Ops.ClipScale(device, s, scale, 1f);
            Assert.True(float.IsNaN(scale.Read()[0]), $"NaN sum on {device.Backend}");
            s.Upload([0f]);
            Ops.ClipScale(device, s, scale, 1f);
            Assert.Equal(1f, scale.Read()[0]);
        }
        using var x = CpuOracle.CreateBuffer<float>(1);
        using var y = CpuOracle.CreateBuffer<float>(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.ClipScale(CpuOracle, x, y, 0f));
        Assert.Throws<ArgumentException>(() => Ops.ScaleInPlace(CpuOracle, x, x, 1));
    }

    [Fact]
    public void A_step_writes_its_mean_loss_and_correct_count_into_slots_of_one_metrics_buffer()
    {
        const int rows = 33, cols = 7, slot = 64; // slots 64 floats (256 bytes, StorageOffsetAlignment) apart
        float[] logits = Floats(21, rows * cols, -3, 3);
        int[] targets = Ints(22, rows, 0, cols);
        var argmax = ReferenceArgmax(logits, rows, cols);
        int expectedCorrect = Enumerable.Range(0, rows).Count(r => argmax[r] == targets[r]);
        var expectedLoss = Enumerable.Range(0, rows).Average(r =>
        {
            var row = Enumerable.Range(0, cols).Select(c => (double)logits[r * cols + c]).ToArray();
            double max = row.Max();
            return Math.Log(row.Sum(v => Math.Exp(v - max))) - (row[targets[r]] - max);
        });
        foreach (var device in Devices())
        {
            using var xb = device.CreateBuffer<float>(logits);
            using var tb = device.CreateBuffer<int>(targets);
            using var losses = device.CreateBuffer<float>(rows);
            using var grad = device.CreateBuffer<float>(rows * cols);
            using var correct = device.CreateBuffer<float>(rows);
            using var metrics = device.CreateBuffer<float>(3 * slot);
            ComputeBatch batch;
            using (batch = device.BeginBatch())
            {
                Ops.CrossEntropy(device, xb, tb, losses, grad, rows, cols);
                Ops.Reduce(device, ReduceKind.Mean, losses, metrics.Slice(0, 1), 1, rows, 1);
                Ops.Correct(device, xb, tb, correct, rows, cols);
                Ops.Reduce(device, ReduceKind.Sum, correct, metrics.Slice(slot, 1), 1, rows, 1);
                Ops.SumOfSquares(device, grad, metrics.Slice(2 * slot, 1), rows * cols);
            }
            // Five dispatches on either backend (the CPU backend counts what it ran while the batch was open).
            Assert.Equal(5, batch.DispatchCount);
            float[] read = metrics.Read();
            Close([expectedLoss], [read[0]], 1e-5, $"mean loss on {device.Backend}");
            Assert.Equal(expectedCorrect, read[slot]);
            float[] g = grad.Read();
            Close([g.Sum(v => (double)v * v)], [read[2 * slot]], 1e-5, $"gradient sum of squares on {device.Backend}");
        }
    }
}
