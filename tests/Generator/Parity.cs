using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>Runs the same kernel launch on two devices and compares what it wrote.</summary>
internal static class Parity
{
    public static readonly ComputeDevice Cpu = ComputeDevice.OpenCpu();

    /// <summary>
    /// Float results agree within <paramref name="relativeTolerance"/> (relative to max(1, |expected|)); NaN and
    /// infinities must match exactly.
    /// </summary>
    public static void AssertClose(float[] expected, float[] actual, double relativeTolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) || float.IsInfinity(e) || float.IsNaN(a) || float.IsInfinity(a))
            {
                Assert.True(e.Equals(a), $"{what}: element {i} is {a} on WebGPU and {e} on the CPU backend");
                continue;
            }
            double error = Math.Abs(a - e) / Math.Max(1.0, Math.Abs(e));
            Assert.True(error <= relativeTolerance, $"{what}: element {i} is {a} on WebGPU and {e} on the CPU backend (relative error {error:G3})");
        }
    }

    /// <summary>Integer results must be identical.</summary>
    public static void AssertExact<T>(T[] expected, T[] actual, string what) where T : IEquatable<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i].Equals(actual[i]), $"{what}: element {i} is {actual[i]} on WebGPU and {expected[i]} on the CPU backend");
    }

    public static float[] RandomFloats(int seed, int n, float min = -4f, float max = 4f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => min + (float)random.NextDouble() * (max - min)).ToArray();
    }

    public static int[] RandomInts(int seed, int n, int min = -100_000, int max = 100_000)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.Next(min, max)).ToArray();
    }
}
