using KernelGen.Models.Kernels;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>Transposes and the head split/merge of attention (exact data movement).</summary>
public class LayoutTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(1, 7, 13, 1)]
    [InlineData(3, 5, 4, 6)]
    [InlineData(2, 65, 3, 1)]
    public void SwapMiddle_moves_every_element(int batch, int rows, int cols, int inner)
    {
        int n = batch * rows * cols * inner;
        float[] x = Floats(1, n);
        var expected = new float[n];
        for (int b = 0; b < batch; b++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    for (int e = 0; e < inner; e++)
                        expected[((b * cols + c) * rows + r) * inner + e] = x[((b * rows + r) * cols + c) * inner + e];
        foreach (var device in Devices())
        {
            using var xb = device.CreateBuffer<float>(x);
            using var yb = device.CreateBuffer<float>(n);
            Ops.SwapMiddle(device, xb, yb, batch, rows, cols, inner);
            Assert.Equal(expected, yb.Read());
        }
    }

    [Fact]
    public void Merge_heads_undoes_split_heads()
    {
        const int batch = 2, time = 5, heads = 3, dim = 4;
        float[] x = Floats(2, batch * time * heads * dim);
        foreach (var device in Devices())
        {
            using var xb = device.CreateBuffer<float>(x);
            using var split = device.CreateBuffer<float>(x.Length);
            using var merged = device.CreateBuffer<float>(x.Length);
            Ops.SplitHeads(device, xb, split, batch, time, heads, dim);
            // Head h of batch b, time t, component d sits at ((b * heads + h) * time + t) * dim + d.
            Assert.Equal(x[((1 * time + 4) * heads + 2) * dim + 3], split.Read()[((1 * heads + 2) * time + 4) * dim + 3]);
            Ops.MergeHeads(device, split, merged, batch, time, heads, dim);
            Assert.Equal(x, merged.Read());
        }
    }
}
