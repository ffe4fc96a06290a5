using System.Diagnostics;
using KernelGen.Samples;

namespace KernelGen.Cli.Commands;

/// <summary>
/// The end-to-end demo: opens the WebGPU device (or says why not and uses the CPU backend), runs each sample kernel
/// there and on the CPU backend on the same random data, and checks that the results agree.
/// </summary>
internal static class DemoCommand
{
    private const int N = 100_003; // not a multiple of any workgroup size, so the bounds guards matter

    public static int Run(TextWriter output)
    {
        using var device = ComputeDevice.Open(output);
        using var cpu = ComputeDevice.OpenCpu();
        output.WriteLine($"Device: {device.Description}");
        output.WriteLine($"Checking each kernel on {N} elements against the CPU backend:");

        var random = new Random(42);
        float[] x = RandomFloats(random, -4f, 4f), y = RandomFloats(random, -1f, 1f);
        int[] ints = Enumerable.Range(0, N).Select(_ => random.Next(-1000, 1000)).ToArray();

        bool ok = true;
        ok &= Compare(output, "Saxpy", device, cpu, 1e-6, d =>
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(y);
            ElementwiseKernels.SaxpyKernel.Dispatch(d, N, xb, yb, 2.5f, N);
            return yb.Read();
        });
        ok &= Compare(output, "Relu", device, cpu, 0, d =>
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(N);
            ElementwiseKernels.ReluKernel.Dispatch(d, N, xb, yb, N);
            return yb.Read();
        });
        ok &= Compare(output, "SmoothClamp", device, cpu, 1e-5, d =>
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(N);
            ElementwiseKernels.SmoothClampKernel.Dispatch(d, N, xb, yb, 3f, N);
            return yb.Read();
        });
        ok &= Compare(output, "IntegerMix", device, cpu, 0, d =>
        {
            using var xb = d.CreateBuffer<int>(ints);
            using var yb = d.CreateBuffer<int>(N);
            ElementwiseKernels.IntegerMixKernel.Dispatch(d, N, xb, yb, -3, 7, 13u, N);
            return yb.Read().Select(v => (float)v).ToArray();
        });

        output.WriteLine(ok ? "All kernels agree with the CPU backend." : "MISMATCH: see the lines above.");
        return ok ? 0 : 1;
    }

    private static bool Compare(TextWriter output, string name, ComputeDevice device, ComputeDevice cpu, double tolerance,
        Func<ComputeDevice, float[]> run)
    {
        var clock = Stopwatch.StartNew();
        var actual = run(device);
        var deviceTime = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var expected = run(cpu);
        var cpuTime = clock.Elapsed.TotalMilliseconds;

        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / Math.Max(1.0, Math.Abs(expected[i])));
        bool ok = worst <= tolerance;
        output.WriteLine($"  {name,-12} {device.Backend}: {deviceTime,8:F1} ms   CPU backend: {cpuTime,8:F1} ms   " +
                         $"max relative difference {worst:G3} (tolerance {tolerance:G3})   {(ok ? "OK" : "MISMATCH")}");
        return ok;
    }

    private static float[] RandomFloats(Random random, float min, float max) =>
        Enumerable.Range(0, N).Select(_ => min + (float)random.NextDouble() * (max - min)).ToArray();
}
