using KernelGen.Models.Kernels;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>
/// Ops on views: operands at aligned non-zero offsets of bigger buffers (a batch of a data set resident on the
/// device), results written into part of a buffer, and outputs that share a buffer with an input refused.
/// </summary>
public class ViewTests
{
    /// <summary>Floats per StorageOffsetAlignment (256 bytes): where a view a kernel binds may start.</summary>
    private const int Align = 64;

    [Theory]
    [InlineData(MatmulVariant.Simple)]
    [InlineData(MatmulVariant.Blocked)]
    [InlineData(MatmulVariant.RowBlocked)]
    [InlineData(MatmulVariant.Auto)]
    public void Matmul_reads_and_writes_views_at_aligned_offsets(MatmulVariant variant)
    {
        const int m = 9, n = 37, k = 13;
        float[] a = Floats(1, m * k), b = Floats(2, k * n), bias = Floats(3, n);
        var expected = Reference.Matmul(a, b, m, n, k, bias: bias, biasMode: 1, activation: Activation.Relu);
        foreach (var device in Devices())
        {
            // One "data set" holding A at element 2 * Align and the bias at 5 * Align; B and C are views too.
            float[] data = Floats(4, 8 * Align);
            a.CopyTo(data, 2 * Align);
            bias.CopyTo(data, 5 * Align);
            float[] outside = Floats(5, 3 * Align + m * n + 7);
            using var dataSet = device.CreateBuffer<float>(data);
            using var weights = device.CreateBuffer<float>([.. new float[Align], .. b]);
            using var output = device.CreateBuffer<float>(outside);
            Ops.Matmul(device, dataSet.Slice(2 * Align, m * k), weights.Slice(Align), output.Slice(3 * Align, m * n), m, n, k,
                new MatmulOptions { Bias = dataSet.Slice(5 * Align, n), Activation = Activation.Relu, Variant = variant });
            float[] result = output.Read();
            Close(expected, result[(3 * Align)..(3 * Align + m * n)], 1e-5, $"{variant} on views, {device.Backend}");
            // Nothing outside the output view changed.
            Assert.Equal(outside[..(3 * Align)], result[..(3 * Align)]);
            Assert.Equal(outside[(3 * Align + m * n)..], result[(3 * Align + m * n)..]);
        }
    }

    [Fact]
    public void Binary_on_views_broadcasts_a_view_of_a_row_vector()
    {
        const int rows = 5, cols = 11, n = rows * cols;
        float[] x = Floats(6, n), y = Floats(7, cols, 0.5f, 2f);
        var expected = Enumerable.Range(0, n).Select(i => (double)x[i] * y[i % cols]).ToArray();
        foreach (var device in Devices())
        {
            using var xs = device.CreateBuffer<float>([.. new float[Align], .. x, 9f]);
            using var ys = device.CreateBuffer<float>([.. new float[2 * Align], .. y]);
            using var output = device.CreateBuffer<float>(4 * Align);
            Ops.Binary(device, BinaryOp.Multiply, xs.Slice(Align, n), ys.Slice(2 * Align), output.Slice(Align, n), n, 1, cols);
            float[] result = output.Read();
            Close(expected, result[Align..(Align + n)], 1e-6, $"broadcast multiply on views, {device.Backend}");
            Assert.All(result[..Align].Concat(result[(Align + n)..]), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void Views_are_checked_by_their_length()
    {
        using var buffer = CpuOracle.CreateBuffer<float>(4 * Align);
        using var output = CpuOracle.CreateBuffer<float>(Align);
        var e = Assert.Throws<ArgumentException>(() => Ops.Add(CpuOracle, buffer.Slice(Align, 10), buffer.Slice(2 * Align, 20), output, 20));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("x has 10 elements; this operation needs at least 20", e.Message);
    }

    [Fact]
    public void An_output_view_overlapping_an_input_view_of_the_same_buffer_is_refused()
    {
        foreach (var device in Devices())
        {
            using var buffer = device.CreateBuffer<float>(4 * Align);
            using var other = device.CreateBuffer<float>(Align);
            using var third = device.CreateBuffer<float>(2 * Align);
            var e = Assert.Throws<ArgumentException>(() =>
                Ops.Add(device, buffer.Slice(0, 2 * Align), other, buffer.Slice(Align, Align), Align));
            Assert.Equal("output", e.ParamName);
            Assert.Contains("output is also passed as x", e.Message);
            Assert.Contains("[64, 128)", e.Message);
            // Disjoint views of one buffer: WebGPU refuses a written binding sharing a buffer, so Ops refuses it everywhere.
            e = Assert.Throws<ArgumentException>(() => Ops.Add(device, buffer.Slice(0, Align), other, buffer.Slice(2 * Align, Align), Align));
            Assert.Contains("output and x are views of one buffer", e.Message);
            // Views of different buffers are fine.
            Ops.Add(device, buffer.Slice(0, Align), other, third.Slice(Align, Align), Align);
            var m = Assert.Throws<ArgumentException>(() => Ops.Matmul(device, buffer.Slice(0, 2 * Align), other, buffer.Slice(Align, 64), 8, 8, 8));
            Assert.Contains("c is also passed as a", m.Message);
        }
    }

    [Fact]
    public void A_view_that_a_kernel_binds_must_start_at_the_storage_offset_alignment()
    {
        using var buffer = CpuOracle.CreateBuffer<float>(4 * Align);
        using var output = CpuOracle.CreateBuffer<float>(Align);
        Assert.Throws<KernelLaunchException>(() => Ops.Add(CpuOracle, buffer.Slice(1, 8), buffer.Slice(2 * Align, 8), output, 8));
    }
}
