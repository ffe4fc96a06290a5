namespace KernelGen.CpuBenchmarks;

/// <summary>Inputs, float64 references and the result check shared by the benchmarks and the probe.</summary>
public static class Data
{
    public const int SaxpyLength = 1 << 20;
    public const float SaxpyA = 2f;

    public static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    public static float[] Saxpy(float[] x, float[] y, float a)
    {
        var result = new float[y.Length];
        for (int i = 0; i < y.Length; i++) result[i] = a * x[i] + y[i];
        return result;
    }

    public static float[] Matmul(float[] a, float[] b, int n)
    {
        var c = new float[n * n];
        for (int row = 0; row < n; row++)
            for (int col = 0; col < n; col++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += (double)a[row * n + k] * b[k * n + col];
                c[row * n + col] = (float)sum;
            }
        return c;
    }

    /// <summary>Throws unless every element is within <paramref name="tolerance"/> (relative to the largest |expected|).</summary>
    public static void Check(string what, ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, float tolerance = 1e-4f)
    {
        if (actual.Length != expected.Length) throw new InvalidOperationException($"{what}: {actual.Length} elements, expected {expected.Length}");
        float scale = 1f;
        foreach (float e in expected) scale = MathF.Max(scale, MathF.Abs(e));
        for (int i = 0; i < actual.Length; i++)
            if (!(MathF.Abs(actual[i] - expected[i]) <= tolerance * scale))
                throw new InvalidOperationException($"{what}: element {i} is {actual[i]}, expected {expected[i]}");
    }

    /// <summary>Floating-point operations of one run: 2 per saxpy element, 2 n^3 per n x n matmul.</summary>
    public static double SaxpyFlops => 2.0 * SaxpyLength;

    public static double MatmulFlops(int n) => 2.0 * n * n * n;
}
