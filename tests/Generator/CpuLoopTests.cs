using KernelGen.Generator.Tests.Kernels;
using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The CPU backend's generated work-item loops (the default) against the kernel's own C# method run once per
/// invocation (sequential mode): the results must be identical, and a failure must name the same invocation.
/// </summary>
public class CpuLoopTests
{
    private static readonly ComputeDevice Loops = Parity.Cpu;
    private static readonly ComputeDevice Sequential = ComputeDevice.OpenCpu(new CpuOptions { Sequential = true });

    [Fact]
    public void The_devices_take_the_two_paths()
    {
        Assert.True(((KernelGen.Cpu.CpuDevice)Loops).RunsPhased);
        Assert.False(((KernelGen.Cpu.CpuDevice)Sequential).RunsPhased);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(4097)]
    public void Early_return_break_and_continue_agree(int n)
    {
        int[] x = Parity.RandomInts(21, n, 0, 5000);
        x[0] = 1; // no steps: the invocation returns before writing
        int[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<int>(x);
            using var yb = d.CreateBuffer<int>(n + 7); // invocations past n return first
            CpuLoopKernels.StepsKernel.Dispatch(d, n + 7, xb, yb, (uint)n);
            return yb.Read();
        }
        var expected = Run(Sequential);
        Assert.Equal(0, expected[0]);
        if (n > 1) Assert.Contains(expected, v => v > 10_000);
        Parity.AssertExact(expected, Run(Loops), "Steps");
    }

    [Theory]
    [InlineData(8, 4)] // one whole workgroup
    [InlineData(13, 6)] // partial workgroups in both axes
    [InlineData(1, 1)]
    [InlineData(67, 33)]
    public void Ids_in_2D_agree(int width, int height)
    {
        uint[] Run(ComputeDevice d)
        {
            using var output = d.CreateBuffer<uint>(width * height * 4);
            CpuLoopKernels.Ids2DKernel.Dispatch(d, (width, height), output, (uint)width, (uint)height);
            return output.Read();
        }
        var expected = Run(Sequential);
        // Invocation (12, 5) of a 13 x 6 launch: local (4, 1), workgroup (1, 1), local index 12, 2 x 2 workgroups.
        if (width == 13) Assert.Equal(new uint[] { 14, 101, 12, 2002 }, expected.AsSpan((5 * 13 + 12) * 4, 4).ToArray());
        Parity.AssertExact(expected, Run(Loops), "Ids2D");
    }

    [Theory]
    [InlineData(4, 2, 2)]
    [InlineData(5, 3, 3)]
    [InlineData(9, 1, 7)]
    public void Ids_in_3D_agree(int sx, int sy, int sz)
    {
        uint[] Run(ComputeDevice d)
        {
            using var output = d.CreateBuffer<uint>(sx * sy * sz * 3);
            CpuLoopKernels.Ids3DKernel.Dispatch(d, (sx, sy, sz), output, (uint)sx, (uint)sy, (uint)sz);
            return output.Read();
        }
        var expected = Run(Sequential);
        Assert.Contains(expected, v => v != 0);
        Parity.AssertExact(expected, Run(Loops), "Ids3D");
    }

    [Theory]
    [InlineData(8, 8, 1)]
    [InlineData(13, 11, 3)] // partial workgroups: the invocations outside wait at the barriers, then return
    [InlineData(40, 17, 5)]
    [InlineData(5, 5, 0)] // no rounds: only the locals' initial values
    public void Locals_across_barriers_agree(int width, int height, int rounds)
    {
        float[] x = Parity.RandomFloats(22, width * height, 0f, 3f);
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(width * height);
            CpuLoopKernels.RoundsKernel.Dispatch(d, (width, height), xb, yb, (uint)width, (uint)height, (uint)rounds);
            return yb.Read();
        }
        var expected = Run(Sequential);
        if (rounds > 0) Assert.Contains(expected, v => v != 0f);
        Parity.AssertClose(expected, Run(Loops), 0, "Rounds");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5000)]
    public void Atomics_agree(int n)
    {
        int[] x = Parity.RandomInts(23, n, 0, 1_000_000);
        (uint[], int[]) Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<int>(x);
            using var counts = d.CreateBuffer<uint>(10);
            using var largest = d.CreateBuffer<int>(new[] { int.MinValue });
            CpuLoopKernels.CountLowBitsKernel.Dispatch(d, n, xb, counts, largest, (uint)n);
            return (counts.Read(), largest.Read());
        }
        var (expectedCounts, expectedLargest) = Run(Sequential);
        Assert.Equal((uint)n, expectedCounts.Take(8).Aggregate(0u, (a, b) => a + b));
        Assert.Equal(100u, expectedCounts[8]);
        Assert.Equal(x.Max(), expectedLargest[0]);
        var (counts, largest) = Run(Loops);
        Parity.AssertExact(expectedCounts, counts, "CountLowBits counts");
        Parity.AssertExact(expectedLargest, largest, "CountLowBits largest");
    }

    [Fact]
    public void An_out_of_bounds_write_names_the_invocation_in_2D()
    {
        // 16 x 8 invocations need 512 elements; with 511 only the last invocation, (15, 7), writes past the end.
        foreach (var device in new[] { Loops, Sequential })
        {
            using var output = device.CreateBuffer<uint>(511);
            var error = Assert.Throws<KernelExecutionException>(() =>
                CpuLoopKernels.Ids2DKernel.Dispatch(device, (16, 8), output, 16u, 8u));
            Assert.Contains("CpuLoopKernels.Ids2D", error.Message);
            Assert.Contains("global id (15, 7, 0) (workgroup (1, 1, 0), local id (7, 3, 0))", error.Message);
            var inner = Assert.IsType<IndexOutOfRangeException>(error.InnerException);
            Assert.Contains("index 511", inner.Message);
            Assert.Contains("global id (15, 7, 0)", inner.Message);
            // Sequential mode ran the kernel's own C# method (where a breakpoint would stop); the loops failed first and
            // ran the failing workgroup again through that method to find the invocation, so the trace shows it too.
            Assert.Contains("CpuLoopKernels.Ids2D(", inner.StackTrace);
        }
    }

    [Fact]
    public void An_out_of_bounds_read_after_a_barrier_names_the_invocation()
    {
        // x has one element too few: only invocation (7, 5), the last inside, reads past it, in the loop region after the first.
        foreach (var device in new[] { Loops, Sequential })
        {
            using var xb = device.CreateBuffer<float>(8 * 6 - 1);
            using var yb = device.CreateBuffer<float>(8 * 6);
            var error = Assert.Throws<KernelExecutionException>(() =>
                CpuLoopKernels.RoundsKernel.Dispatch(device, (16, 16), xb, yb, 8u, 6u, 2u));
            Assert.Contains("global id (7, 5, 0) (workgroup (0, 0, 0), local id (7, 5, 0))", error.Message);
            var inner = Assert.IsType<IndexOutOfRangeException>(error.InnerException);
            Assert.Contains("global id (7, 5, 0)", inner.Message);
        }
    }
}
