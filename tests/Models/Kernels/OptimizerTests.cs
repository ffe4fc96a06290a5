using KernelGen.Models.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>SGD with momentum and AdamW: several steps against float64 host updates, and WebGPU against the CPU backend.</summary>
public class OptimizerTests
{
    private const int N = 37, Steps = 4;

    [Theory]
    [InlineData(false, 0f)]
    [InlineData(true, 0.01f)]
    public void Sgd_momentum_matches_float64(bool nesterov, float weightDecay)
    {
        float[] p0 = Floats(1, N);
        var grads = Enumerable.Range(0, Steps).Select(s => Floats(10 + s, N)).ToArray();
        const float lr = 0.1f, momentum = 0.9f;
        double[] p = ToDouble(p0), v = new double[N];
        foreach (var g in grads)
            for (int i = 0; i < N; i++)
            {
                double gi = g[i] + weightDecay * p[i];
                v[i] = momentum * v[i] + gi;
                p[i] -= lr * (nesterov ? gi + momentum * v[i] : v[i]);
            }
        float[] Run(ComputeDevice device)
        {
            using var pb = device.CreateBuffer<float>(p0);
            using var vb = device.CreateBuffer<float>(N);
            using var gb = device.CreateBuffer<float>(N);
            foreach (var g in grads)
            {
                gb.Upload(g);
                Ops.SgdMomentum(device, pb, gb, vb, N, lr, momentum, weightDecay, nesterov);
            }
            return pb.Read();
        }
        var cpu = Run(CpuOracle);
        Close(p, cpu, 1e-6, "SGD");
        if (WebGpuTestDevice.SkipReason is null) Close(cpu, Run(GpuDevice), 1e-6, "SGD WebGPU vs CPU");
    }

    [Fact]
    public void AdamW_matches_float64()
    {
        float[] p0 = Floats(2, N);
        var grads = Enumerable.Range(0, Steps).Select(s => Floats(20 + s, N)).ToArray();
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
        double[] p = ToDouble(p0), m = new double[N], v = new double[N];
        for (int step = 1; step <= Steps; step++)
            for (int i = 0; i < N; i++)
            {
                double g = grads[step - 1][i];
                p[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                p[i] -= lr * (m[i] / (1 - Math.Pow(b1, step))) / (Math.Sqrt(v[i] / (1 - Math.Pow(b2, step))) + eps);
            }
        float[] Run(ComputeDevice device)
        {
            using var pb = device.CreateBuffer<float>(p0);
            using var mb = device.CreateBuffer<float>(N);
            using var vb = device.CreateBuffer<float>(N);
            using var gb = device.CreateBuffer<float>(N);
            for (int step = 1; step <= Steps; step++)
            {
                gb.Upload(grads[step - 1]);
                Ops.AdamW(device, pb, gb, mb, vb, N, step, (float)lr, (float)b1, (float)b2, (float)eps, (float)wd);
            }
            return pb.Read();
        }
        var cpu = Run(CpuOracle);
        Close(p, cpu, 1e-5, "AdamW");
        if (WebGpuTestDevice.SkipReason is null) Close(cpu, Run(GpuDevice), 1e-6, "AdamW WebGPU vs CPU");
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.01f)]
    public void Plain_sgd_matches_float64(float weightDecay)
    {
        float[] p0 = Floats(3, N);
        var grads = Enumerable.Range(0, Steps).Select(s => Floats(30 + s, N)).ToArray();
        const float lr = 0.1f;
        double[] p = ToDouble(p0);
        foreach (var g in grads)
            for (int i = 0; i < N; i++) p[i] -= lr * (g[i] + weightDecay * p[i]);
        float[] Run(ComputeDevice device)
        {
            using var pb = device.CreateBuffer<float>(p0);
            using var gb = device.CreateBuffer<float>(N);
            foreach (var g in grads)
            {
                gb.Upload(g);
                Ops.Sgd(device, pb, gb, N, lr, weightDecay);
            }
            return pb.Read();
        }
        var cpu = Run(CpuOracle);
        Close(p, cpu, 1e-6, "plain SGD");
        if (WebGpuTestDevice.SkipReason is null) Close(cpu, Run(GpuDevice), 1e-6, "plain SGD WebGPU vs CPU");
    }

    public static TheoryData<string, float> Guards() => new()
    {
        { "Sgd", float.NaN }, { "Sgd", float.PositiveInfinity }, { "Sgd", float.NegativeInfinity }, { "Sgd", 2.5f },
        { "SgdMomentum", float.NaN }, { "SgdMomentum", float.PositiveInfinity }, { "SgdMomentum", -0f },
        { "AdamW", float.NaN }, { "AdamW", float.NegativeInfinity }, { "AdamW", 1e30f },
    };

    /// <summary>
    /// Two steps, the second guarded by a one-element buffer: a non-finite guard leaves parameters and state bit for
    /// bit as after the first step; a finite one gives exactly the unguarded result.
    /// </summary>
    [Theory]
    [MemberData(nameof(Guards))]
    public void A_non_finite_guard_skips_the_step_and_a_finite_one_changes_nothing(string optimizer, float guardValue)
    {
        float[] p0 = Floats(4, N), g1 = Floats(40, N), g2 = Floats(41, N);
        bool skips = !float.IsFinite(guardValue);
        foreach (var device in Devices())
        {
            float[][] Run(bool guarded, bool secondStep)
            {
                using var pb = device.CreateBuffer<float>(p0);
                using var gb = device.CreateBuffer<float>(g1);
                using var s1 = device.CreateBuffer<float>(N);
                using var s2 = device.CreateBuffer<float>(N);
                // The guard as a slot of a metrics buffer at an aligned offset.
                using var metrics = device.CreateBuffer<float>(2 * 64);
                metrics.Slice(64, 1).Upload([guardValue]);
                GpuBufferView<float>? guard = guarded ? metrics.Slice(64, 1) : null;
                void Step(int step, GpuBufferView<float>? g)
                {
                    if (optimizer == "Sgd") Ops.Sgd(device, pb, gb, N, 0.1f, 0.01f, skipIfNonFinite: g);
                    else if (optimizer == "SgdMomentum") Ops.SgdMomentum(device, pb, gb, s1, N, 0.1f, 0.9f, 0.01f, skipIfNonFinite: g);
                    else Ops.AdamW(device, pb, gb, s1, s2, N, step, 0.01f, skipIfNonFinite: g);
                }
                Step(1, null);
                if (secondStep)
                {
                    gb.Upload(g2);
                    using (device.BeginBatch()) Step(2, guard);
                }
                return [pb.Read(), s1.Read(), s2.Read()];
            }
            var afterOne = Run(guarded: false, secondStep: false);
            var unguarded = Run(guarded: false, secondStep: true);
            var guardedRun = Run(guarded: true, secondStep: true);
            var expected = skips ? afterOne : unguarded;
            for (int b = 0; b < 3; b++)
                Assert.True(expected[b].Select(BitConverter.SingleToInt32Bits).SequenceEqual(guardedRun[b].Select(BitConverter.SingleToInt32Bits)),
                    $"{optimizer} guard {guardValue} on {device.Backend}: buffer {b} ({(b == 0 ? "parameters" : "state")}) differs");
            Assert.False(afterOne[0].SequenceEqual(unguarded[0]), "the unguarded second step changes the parameters");
        }
    }

    [Fact]
    public void The_guard_must_be_one_element_of_a_buffer_of_its_own()
    {
        using var p = CpuOracle.CreateBuffer<float>(N);
        using var g = CpuOracle.CreateBuffer<float>(N);
        using var empty = CpuOracle.CreateBuffer<float>(128);
        Assert.Throws<ArgumentException>(() => Ops.Sgd(CpuOracle, p, g, N, 0.1f, skipIfNonFinite: p));
        var e = Assert.Throws<ArgumentException>(() => Ops.Sgd(CpuOracle, p, g, N, 0.1f, skipIfNonFinite: empty.Slice(64, 0)));
        Assert.Equal("skipIfNonFinite", e.ParamName);
        // Reading the guard from the gradients' own buffer is fine (both are read-only bindings).
        Ops.Sgd(CpuOracle, p, g, N, 0.1f, skipIfNonFinite: g.Slice(0, 1));
    }
}
