using KernelGen.Generator.Tests.Kernels;
using KernelGen.Tests;
using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Kernels whose CPU loops run four invocations together (<see cref="LaneKernels"/>): the generator must choose that
/// form only where it is sound, the results must be identical to the kernel's own C# method run per invocation, and
/// a failure inside a shared loop must still name the invocation.
/// </summary>
public class LaneTests
{
    private static readonly ComputeDevice Loops = Parity.Cpu;
    private static readonly ComputeDevice Sequential = ComputeDevice.OpenCpu(new CpuOptions { Sequential = true });

    private static readonly Lazy<GeneratorHarness.Result> Generated = new(() => GeneratorHarness.Run(
        GeneratorHarness.RepositoryFile("tests/Generator/Kernels/LaneKernels.cs"),
        GeneratorHarness.RepositoryFile("tests/Generator/Kernels/CpuLoopKernels.cs")));

    /// <summary>The whole generated file of the lane matmul, reviewed: the form the other tests only sample.</summary>
    [Fact]
    public void Matmul_snapshot() =>
        Snapshot.Verify(Generated.Value.File("KernelGen.Generator.Tests.Kernels.LaneKernels.Matmul"), "cs", "LaneMatmul");

    [Fact]
    public void The_generator_runs_lanes_only_where_a_loop_is_lane_uniform()
    {
        var result = Generated.Value;
        Assert.Empty(result.CompilationErrors);
        string matmul = result.File("KernelGen.Generator.Tests.Kernels.LaneKernels.Matmul");
        // Four lanes per group, the k loop once for all four when they all run, row shared, sum per lane.
        Assert.Contains("__lx += 4u", matmul);
        Assert.Contains("if (__on0 & __on1 & __on2 & __on3)", matmul);
        Assert.Contains("for (; (k__u32 < inner); k__u32++)", matmul);
        Assert.Contains("uint row__u32 = (__oy + __ly);", matmul);
        Assert.Contains("sum__f32__l3 += ", matmul);
        string mixed = result.File("KernelGen.Generator.Tests.Kernels.LaneKernels.Mixed");
        Assert.Contains("uint span__u32 = ", mixed); // shared declaration
        Assert.Contains("for (; (j__u32 < 3u); j__u32++)", mixed); // nested shared loop, j shared
        Assert.Contains("k__i32__l0", mixed); // the counter its body writes stays per lane
        string reused = result.File("KernelGen.Generator.Tests.Kernels.LaneKernels.ReusedCounter");
        Assert.Contains("for (; (j__u32__l2 < (i__u32__l2 % 7u)); j__u32__l2++)", reused); // per lane
        Assert.Contains("for (; (j__u32 < cols); j__u32++)", reused); // the same name, shared inside its own loop
        // Steps' loops break and continue per invocation: no lanes there.
        Assert.DoesNotContain("__on0", result.File("KernelGen.Generator.Tests.Kernels.CpuLoopKernels.Steps"));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(8, 5, 4)] // one workgroup wide, every lane runs
    [InlineData(13, 7, 6)] // ragged: groups with one, two and three lanes inside
    [InlineData(33, 19, 17)]
    public void Matmul_agrees(int rows, int inner, int cols)
    {
        var a = Parity.RandomFloats(1, rows * inner);
        var b = Parity.RandomFloats(2, inner * cols);
        float[] Run(ComputeDevice d)
        {
            using var ab = d.CreateBuffer<float>(a);
            using var bb = d.CreateBuffer<float>(b);
            using var cb = d.CreateBuffer<float>(rows * cols);
            LaneKernels.MatmulKernel.Dispatch(d, (cols, rows), ab, bb, cb, (uint)rows, (uint)inner, (uint)cols);
            return cb.Read();
        }
        var expected = Run(Sequential);
        double reference = Enumerable.Range(0, inner).Sum(k => (double)a[(rows - 1) * inner + k] * b[k * cols + cols - 1]);
        Assert.Equal(reference, expected[^1], 3);
        // The same operations in the same order per invocation: bit for bit.
        Parity.AssertExact(expected, Run(Loops), "Matmul");
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(64, 0)]
    [InlineData(70, 5)]
    [InlineData(1003, 4)]
    public void Mixed_agrees(int n, int rounds)
    {
        int[] x = Parity.RandomInts(5, n, -40, 200); // about one in six negative: those lanes return early
        int[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<int>(x);
            using var yb = d.CreateBuffer<int>(n + 9);
            LaneKernels.MixedKernel.Dispatch(d, n + 9, xb, yb, (uint)n, rounds);
            return yb.Read();
        }
        var expected = Run(Sequential);
        // No rounds: acc stays 0 and every invocation returns before writing.
        if (rounds == 0) Assert.All(expected, v => Assert.Equal(0, v));
        else Assert.Contains(expected, v => v != 0);
        Parity.AssertExact(expected, Run(Loops), "Mixed");
    }

    [Theory]
    [InlineData(16, 9)]
    [InlineData(37, 0)]
    [InlineData(53, 13)]
    public void A_counter_name_reused_per_lane_and_shared_agrees(int n, int cols)
    {
        var x = Parity.RandomFloats(9, Math.Max(cols, 7));
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(n + 3);
            LaneKernels.ReusedCounterKernel.Dispatch(d, n + 3, xb, yb, (uint)n, (uint)cols);
            return yb.Read();
        }
        var expected = Run(Sequential);
        float m = x.Take(5).Sum(); // invocation 5: five per-lane steps, then the shared ones
        for (int j = 0; j < cols; j++) m = m * 0.5f + x[j];
        Assert.Equal(m, expected[5], 4);
        Parity.AssertExact(expected, Run(Loops), "ReusedCounter");
    }

    [Fact]
    public void A_failure_inside_a_shared_loop_names_the_invocation()
    {
        // Invocation 22 (workgroup 1, local 6: lane 2 of its group) reads past the end.
        foreach (var device in new[] { Loops, Sequential })
        {
            using var xb = device.CreateBuffer<float>(40);
            using var yb = device.CreateBuffer<float>(40);
            var error = Assert.Throws<KernelExecutionException>(() =>
                LaneKernels.OutOfBoundsInSharedLoopKernel.Dispatch(device, 40, xb, yb, 40u, 22u));
            Assert.Contains("LaneKernels.OutOfBoundsInSharedLoop", error.Message);
            Assert.Contains("global id (22, 0, 0) (workgroup (1, 0, 0), local id (6, 0, 0))", error.Message);
            var inner = Assert.IsType<IndexOutOfRangeException>(error.InnerException);
            Assert.Contains("index 140", inner.Message);
            // The loops ran the workgroup again through the kernel's own method to find the invocation.
            Assert.Contains("LaneKernels.OutOfBoundsInSharedLoop(", inner.StackTrace);
        }
    }

    [Fact]
    public void A_failure_that_does_not_happen_again_names_the_workgroup()
    {
        var trigger = new int[40];
        trigger[37] = 1;
        using var tb = Loops.CreateBuffer<int>(trigger);
        using var yb = Loops.CreateBuffer<float>(40);
        var error = Assert.Throws<KernelExecutionException>(() => LaneKernels.FailsOnlyOnceKernel.Dispatch(Loops, 40, tb, yb, 40u));
        Assert.Contains("LaneKernels.FailsOnlyOnce failed on the CPU backend in workgroup (2, 0, 0)", error.Message);
        Assert.Contains("invocation is not known", error.Message);
        Assert.Contains("CpuOptions.Sequential", error.Message);
        Assert.IsType<IndexOutOfRangeException>(error.InnerException);
    }
}
