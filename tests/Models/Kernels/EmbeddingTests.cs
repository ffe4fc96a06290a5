using KernelGen.Models.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>Embedding lookup and its deterministic scatter-add backward.</summary>
public class EmbeddingTests
{
    private const int Vocab = 11, Width = 6, Positions = 23;

    private static double[] Forward(double[] table, int[] ids)
    {
        var output = new double[ids.Length * Width];
        for (int t = 0; t < ids.Length; t++)
            for (int d = 0; d < Width; d++)
                output[t * Width + d] = ids[t] >= 0 && ids[t] < Vocab ? table[ids[t] * Width + d] : 0;
        return output;
    }

    [Fact]
    public void Gather_copies_rows_and_zeroes_unknown_ids()
    {
        float[] table = Floats(1, Vocab * Width);
        int[] ids = [.. Ints(2, Positions - 2, 0, Vocab), -1, Vocab];
        var expected = Forward(ToDouble(table), ids);
        foreach (var device in Devices())
        {
            using var tb = device.CreateBuffer<float>(table);
            using var ib = device.CreateBuffer<int>(ids);
            using var output = device.CreateBuffer<float>(Positions * Width);
            Ops.Embedding(device, tb, ib, output, Positions, Width, Vocab);
            Close(expected, output.Read(), 0, $"gather on {device.Backend}");
        }
    }

    [Fact]
    public void Backward_matches_finite_differences_and_is_deterministic()
    {
        float[] table = Floats(3, Vocab * Width);
        int[] ids = Ints(4, Positions, 0, Vocab - 2); // repeated ids, and two tokens that never occur
        ids[5] = ids[6] = ids[17] = 3;
        float[] w = Floats(5, Positions * Width);
        var numeric = GradCheck.Numeric(t => GradCheck.Dot(w, Forward(t, ids)), ToDouble(table));
        float[] Run(ComputeDevice device, float beta, float[]? start)
        {
            using var ib = device.CreateBuffer<int>(ids);
            using var dOut = device.CreateBuffer<float>(w);
            using var dTable = start is null ? device.CreateBuffer<float>(Vocab * Width) : device.CreateBuffer<float>(start);
            Ops.EmbeddingBackward(device, ib, dOut, dTable, Positions, Width, Vocab, beta);
            return dTable.Read();
        }
        var cpu = Run(CpuOracle, 0f, Enumerable.Repeat(float.NaN, Vocab * Width).ToArray());
        Close(numeric, cpu, 1e-5, "embedding gradient");
        float[] start = Floats(6, Vocab * Width);
        Close(numeric.Select((g, i) => g + start[i]).ToArray(), Run(CpuOracle, 1f, start), 1e-5, "embedding gradient, accumulated");
        if (WebGpuTestDevice.SkipReason is null)
        {
            var gpu = Run(GpuDevice, 0f, null);
            // The same additions in the same order: bit-for-bit the CPU backend's result.
            Assert.Equal(cpu, gpu);
            Assert.Equal(gpu, Run(GpuDevice, 0f, null));
        }
    }

    [Fact]
    public void Backward_reuses_pooled_scratch_buffers()
    {
        int[] ids = Ints(7, Positions, 0, Vocab);
        float[] w = Floats(8, Positions * Width);
        using var pool = new BufferPool(CpuOracle);
        using var ib = CpuOracle.CreateBuffer<int>(ids);
        using var dOut = CpuOracle.CreateBuffer<float>(w);
        using var dTable = CpuOracle.CreateBuffer<float>(Vocab * Width);
        Ops.EmbeddingBackward(CpuOracle, ib, dOut, dTable, Positions, Width, Vocab, pool: pool);
        long created = pool.CreatedCount;
        Ops.EmbeddingBackward(CpuOracle, ib, dOut, dTable, Positions, Width, Vocab, pool: pool);
        Assert.Equal(created, pool.CreatedCount);
        Assert.Equal(0, pool.RentedCount);
    }
}
