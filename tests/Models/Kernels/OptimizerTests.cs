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
}
