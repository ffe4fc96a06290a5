using System.Numerics;
using System.Runtime.InteropServices;

namespace KernelGen.KernelBenchmarks;

/// <summary>
/// The CPU reference point: C = A·B in C# with <see cref="Vector{T}"/> and <see cref="Parallel.For(int, int, Action{int})"/>
/// over blocks of rows; for each row, C[i, :] += A[i, p] * B[p, :] in vector-wide strips, with K blocked so a panel of B
/// stays in cache.
/// </summary>
public static class CpuMatmul
{
    private const int RowsPerTask = 4;
    private const int KBlock = 128;

    public static void Multiply(float[] a, float[] b, float[] c, int m, int n, int k)
    {
        Array.Clear(c, 0, m * n);
        int tasks = (m + RowsPerTask - 1) / RowsPerTask;
        Parallel.For(0, tasks, task =>
        {
            int width = Vector<float>.Count;
            int vectors = n / width;
            int rowEnd = Math.Min(m, (task + 1) * RowsPerTask);
            for (int p0 = 0; p0 < k; p0 += KBlock)
            {
                int pEnd = Math.Min(k, p0 + KBlock);
                for (int i = task * RowsPerTask; i < rowEnd; i++)
                {
                    var cRow = c.AsSpan(i * n, n);
                    var cVec = MemoryMarshal.Cast<float, Vector<float>>(cRow);
                    for (int p = p0; p < pEnd; p++)
                    {
                        var s = new Vector<float>(a[i * k + p]);
                        var bRow = b.AsSpan(p * n, n);
                        var bVec = MemoryMarshal.Cast<float, Vector<float>>(bRow);
                        for (int v = 0; v < vectors; v++) cVec[v] += s * bVec[v];
                        for (int j = vectors * width; j < n; j++) cRow[j] += a[i * k + p] * bRow[j];
                    }
                }
            }
        });
    }
}
