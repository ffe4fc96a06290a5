using KernelGen.Tests;
using Xunit;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>The devices and the comparisons every kernel test uses.</summary>
internal static class KernelCheck
{
    /// <summary>The CPU backend: runs each kernel's C# method per invocation (the parity oracle).</summary>
    public static readonly ComputeDevice CpuOracle = ComputeDevice.OpenCpu();

    /// <summary>The shared WebGPU device (lavapipe here); only from [WebGpuFact]/[WebGpuTheory] tests.</summary>
    public static ComputeDevice GpuDevice => WebGpuTestDevice.Device;

    /// <summary>The CPU backend, and WebGPU when an adapter exists.</summary>
    public static IEnumerable<ComputeDevice> Devices()
    {
        yield return CpuOracle;
        if (WebGpuTestDevice.SkipReason is null) yield return GpuDevice;
    }

    /// <summary>|actual - expected| &lt;= tolerance * max(1, |expected|) everywhere; non-finite values must match.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (!double.IsFinite(e) || !double.IsFinite(a))
            {
                Assert.True(e.Equals(a) || (double.IsNaN(e) && double.IsNaN(a)), $"{what}: element {i} is {a}, expected {e}");
                continue;
            }
            double error = Math.Abs(a - e) / Math.Max(1.0, Math.Abs(e));
            if (error > worst)
            {
                worst = error;
                worstAt = i;
            }
        }
        Assert.True(worst <= tolerance,
            $"{what}: element {worstAt} is {actual[Math.Max(worstAt, 0)]}, expected {expected[Math.Max(worstAt, 0)]} (relative error {worst:G3} > {tolerance:G3})");
    }

    public static void Close(float[] expected, float[] actual, double tolerance, string what) =>
        Close(expected.Select(v => (double)v).ToArray(), actual, tolerance, what);

    /// <summary>Every value is finite (no NaN, no infinity).</summary>
    public static void Finite(float[] values, string what)
    {
        for (int i = 0; i < values.Length; i++)
            Assert.True(float.IsFinite(values[i]), $"{what}: element {i} is {values[i]}");
    }

    public static float[] Floats(int seed, int n, float min = -1f, float max = 1f)
    {
        var random = new Random(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++) values[i] = min + (float)random.NextDouble() * (max - min);
        return values;
    }

    public static int[] Ints(int seed, int n, int min, int max)
    {
        var random = new Random(seed);
        var values = new int[n];
        for (int i = 0; i < n; i++) values[i] = random.Next(min, max);
        return values;
    }

    public static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();
}
