using KernelGen.Generator.Tests.Kernels;
using KernelGen.Samples;
using KernelGen.Tests;
using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Every sample kernel, on WebGPU (Dawn) and on the CPU backend, on the same random data: the generated WGSL must
/// compute what the C# method computes. Sizes around a workgroup (63, 64, 65), a single element, and a large prime.
/// </summary>
public class ParityTests
{
    public static TheoryData<int> Sizes => new() { 1, 63, 64, 65, 100_003 };

    private static ComputeDevice Gpu => WebGpuTestDevice.Device;

    [WebGpuTheory]
    [MemberData(nameof(Sizes))]
    public void Saxpy(int n)
    {
        float[] x = Parity.RandomFloats(1, n), y = Parity.RandomFloats(2, n);
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(y);
            ElementwiseKernels.SaxpyKernel.Dispatch(d, n, xb, yb, -1.75f, (uint)n);
            return yb.Read();
        }
        Parity.AssertClose(Run(Parity.Cpu), Run(Gpu), 1e-6, nameof(Saxpy));
    }

    [WebGpuTheory]
    [MemberData(nameof(Sizes))]
    public void Relu(int n)
    {
        float[] x = Parity.RandomFloats(3, n);
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(n);
            ElementwiseKernels.ReluKernel.Dispatch(d, n, xb, yb, (uint)n);
            return yb.Read();
        }
        Parity.AssertClose(Run(Parity.Cpu), Run(Gpu), 0, nameof(Relu));
    }

    [WebGpuTheory]
    [MemberData(nameof(Sizes))]
    public void IntegerMix(int n)
    {
        int[] x = Parity.RandomInts(4, n);
        int[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<int>(x);
            using var yb = d.CreateBuffer<int>(n);
            ElementwiseKernels.IntegerMixKernel.Dispatch(d, n, xb, yb, -7, 11, 97u, (uint)n);
            return yb.Read();
        }
        Parity.AssertExact(Run(Parity.Cpu), Run(Gpu), nameof(IntegerMix));
    }

    [WebGpuTheory]
    [MemberData(nameof(Sizes))]
    public void SmoothClamp(int n)
    {
        float[] x = Parity.RandomFloats(5, n, -20f, 20f);
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(n);
            ElementwiseKernels.SmoothClampKernel.Dispatch(d, n, xb, yb, 6f, (uint)n);
            return yb.Read();
        }
        Parity.AssertClose(Run(Parity.Cpu), Run(Gpu), 1e-5, nameof(SmoothClamp));
    }

    [WebGpuTheory]
    [MemberData(nameof(Sizes))]
    public void BoxFilter(int n)
    {
        float[] x = Parity.RandomFloats(6, n, 0f, 1f);
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(n);
            LanguageKernels.BoxFilterKernel.Dispatch(d, n, xb, yb, (uint)n);
            return yb.Read();
        }
        Parity.AssertClose(Run(Parity.Cpu), Run(Gpu), 1e-6, nameof(BoxFilter));
    }

    [WebGpuTheory]
    [MemberData(nameof(Sizes))]
    public void Collatz(int n)
    {
        uint[] start = Parity.RandomInts(7, n, 0, 1_000_000).Select(v => (uint)v).ToArray();
        uint[] Run(ComputeDevice d)
        {
            using var sb = d.CreateBuffer<uint>(start);
            using var steps = d.CreateBuffer<uint>(n);
            LanguageKernels.CollatzKernel.Dispatch(d, n, sb, steps, 100u, (uint)n);
            return steps.Read();
        }
        Parity.AssertExact(Run(Parity.Cpu), Run(Gpu), nameof(Collatz));
    }

    [WebGpuTheory]
    [MemberData(nameof(Sizes))]
    public void HashMix(int n)
    {
        int[] x = Parity.RandomInts(8, n, int.MinValue, int.MaxValue);
        foreach (bool invert in new[] { false, true })
        {
            int[] Run(ComputeDevice d)
            {
                using var xb = d.CreateBuffer<int>(x);
                using var yb = d.CreateBuffer<int>(n);
                LanguageKernels.HashMixKernel.Dispatch(d, n, xb, yb, invert, 13, (uint)n);
                return yb.Read();
            }
            Parity.AssertExact(Run(Parity.Cpu), Run(Gpu), $"{nameof(HashMix)}(invert: {invert})");
        }
    }

    [WebGpuTheory]
    [MemberData(nameof(Sizes))]
    public void Conversions(int n)
    {
        float[] x = Parity.RandomFloats(9, n, -50f, 50f);
        if (n > 2) { x[0] = float.PositiveInfinity; x[1] = 3e30f; }
        int[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<int>(n);
            LanguageKernels.ConversionsKernel.Dispatch(d, n, xb, yb, 0.37f, (uint)n);
            return yb.Read();
        }
        Parity.AssertExact(Run(Parity.Cpu), Run(Gpu), nameof(Conversions));
    }

    [WebGpuTheory]
    [InlineData(1, 3)]
    [InlineData(65, 5)]
    [InlineData(10_007, 3)]
    public void MovingAverage_specialized(int n, int taps)
    {
        float[] x = Parity.RandomFloats(17, n);
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(n);
            LanguageKernels.MovingAverageKernel.Dispatch(d, n, xb, yb, taps, (uint)n);
            return yb.Read();
        }
        var cpu = Run(Parity.Cpu);
        Parity.AssertClose(cpu, Run(Gpu), 1e-6, "MovingAverage");
        Assert.Equal(Enumerable.Range(0, taps).Sum(k => x[Math.Min(k, n - 1)]) / taps, cpu[0], 5);
        Assert.Contains($"var window: array<f32, {taps}>;", LanguageKernels.MovingAverageKernel.InfoFor(taps).Wgsl);
    }

    [Fact]
    public void Specialized_kernel_refuses_an_undeclared_value_before_dispatch()
    {
        using var x = Parity.Cpu.CreateBuffer<float>(4);
        using var y = Parity.Cpu.CreateBuffer<float>(4);
        var error = Assert.Throws<KernelLaunchException>(() => LanguageKernels.MovingAverageKernel.Dispatch(Parity.Cpu, 4, x, y, 4, 4u));
        Assert.Contains("taps = 4", error.Message);
        Assert.Contains("taps = 3; taps = 5", error.Message);
    }

    [WebGpuTheory]
    [MemberData(nameof(Sizes))]
    public void Classify(int n)
    {
        int[] x = Parity.RandomInts(15, n, -1000, 1000);
        int[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<int>(x);
            using var yb = d.CreateBuffer<int>(n);
            LanguageKernels.ClassifyKernel.Dispatch(d, n, xb, yb, (uint)n);
            return yb.Read();
        }
        Parity.AssertExact(Run(Parity.Cpu), Run(Gpu), nameof(Classify));
    }

    [WebGpuTheory]
    [InlineData(1, 1)]
    [InlineData(9, 5)]
    [InlineData(37, 23)]
    public void ThreadIds_of_a_2D_launch(int width, int height)
    {
        uint[] Run(ComputeDevice d)
        {
            using var ids = d.CreateBuffer<uint>(width * height * 6);
            LanguageKernels.ThreadIdsKernel.Dispatch(d, (width, height), ids, (uint)width, (uint)height);
            return ids.Read();
        }
        var cpu = Run(Parity.Cpu);
        Parity.AssertExact(cpu, Run(Gpu), "ThreadIds");
        // And the CPU backend's ids are the ones WGSL defines: the last invocation sits in workgroup ((w-1)/8, (h-1)/4).
        int last = (width * height - 1) * 6;
        Assert.Equal((uint)((width - 1) / 8 + 100 * ((height - 1) / 4)), cpu[last + 1]);
        Assert.Equal((uint)((width + 7) / 8 + 100 * ((height + 3) / 4)), cpu[last + 2]);
    }
}

/// <summary>Workgroup memory, barriers, atomics and local arrays: WebGPU against the CPU backend.</summary>
public class MemoryParityTests
{
    private static ComputeDevice Gpu => WebGpuTestDevice.Device;

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(4099)]
    public void WorkgroupSum(int n)
    {
        float[] x = Parity.RandomFloats(10, n);
        int groups = (n + 63) / 64;
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var partials = d.CreateBuffer<float>(groups);
            MemoryKernels.WorkgroupSumKernel.Dispatch(d, n, xb, partials, (uint)n);
            return partials.Read();
        }
        var cpu = Run(Parity.Cpu);
        Parity.AssertClose(cpu, Run(Gpu), 1e-5, nameof(WorkgroupSum));
        // And the reduction is the sum: the CPU backend's barriers really synchronise the workgroup.
        for (int g = 0; g < groups; g++)
            Assert.Equal(x.Skip(g * 64).Take(64).Sum(), cpu[g], 3);
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(100_003)]
    public void Histogram(int n)
    {
        int[] values = Parity.RandomInts(11, n, -5000, 5000);
        (uint[] Bins, int[] Extremes) Run(ComputeDevice d)
        {
            using var vb = d.CreateBuffer<int>(values);
            using var bins = d.CreateBuffer<uint>(16);
            using var extremes = d.CreateBuffer<int>(new[] { int.MaxValue, int.MinValue });
            MemoryKernels.HistogramKernel.Dispatch(d, n, vb, bins, extremes, (uint)n);
            return (bins.Read(), extremes.Read());
        }
        var cpu = Run(Parity.Cpu);
        var gpu = Run(Gpu);
        Parity.AssertExact(cpu.Bins, gpu.Bins, "Histogram bins");
        Parity.AssertExact(cpu.Extremes, gpu.Extremes, "Histogram extremes");
        Assert.Equal((uint)n, cpu.Bins.Aggregate(0u, (a, b) => a + b));
        Assert.Equal(values.Min(), cpu.Extremes[0]);
        Assert.Equal(values.Max(), cpu.Extremes[1]);
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(33)]
    [InlineData(1000)]
    public void SortEights(int groups)
    {
        float[] x = Parity.RandomFloats(12, groups * 8);
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(groups * 8);
            MemoryKernels.SortEightsKernel.Dispatch(d, groups, xb, yb, (uint)groups);
            return yb.Read();
        }
        var cpu = Run(Parity.Cpu);
        Parity.AssertClose(cpu, Run(Gpu), 0, nameof(SortEights));
        for (int g = 0; g < groups; g++)
            Assert.Equal(x.Skip(g * 8).Take(8).Order(), cpu.Skip(g * 8).Take(8));
    }
}

/// <summary>System.Numerics vectors: WebGPU against the CPU backend.</summary>
public class VectorParityTests
{
    private static ComputeDevice Gpu => WebGpuTestDevice.Device;

    private static System.Numerics.Vector4[] RandomVectors(int seed, int n)
    {
        var f = Parity.RandomFloats(seed, 4 * n, -3f, 3f);
        return Enumerable.Range(0, n).Select(i => new System.Numerics.Vector4(f[4 * i], f[4 * i + 1], f[4 * i + 2], f[4 * i + 3])).ToArray();
    }

    private static float[] Flatten(System.Numerics.Vector4[] v) => v.SelectMany(e => new[] { e.X, e.Y, e.Z, e.W }).ToArray();

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(65)]
    [InlineData(10_007)]
    public void Shade(int n)
    {
        var x = RandomVectors(13, n);
        (float[], float[]) Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<System.Numerics.Vector4>(x);
            using var yb = d.CreateBuffer<System.Numerics.Vector4>(n);
            using var lb = d.CreateBuffer<float>(n);
            VectorKernels.ShadeKernel.Dispatch(d, n, xb, yb, lb, new System.Numerics.Vector4(1f, -2f, 0.5f, 3f), 0.125f,
                new System.Numerics.Vector2(-1.5f, 2f), (uint)n);
            return (Flatten(yb.Read()), lb.Read());
        }
        var cpu = Run(Parity.Cpu);
        var gpu = Run(Gpu);
        Parity.AssertClose(cpu.Item1, gpu.Item1, 1e-5, "Shade vectors");
        Parity.AssertClose(cpu.Item2, gpu.Item2, 1e-5, "Shade lengths");
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(1000)]
    public void CellHash(int n)
    {
        var v = Parity.RandomInts(19, 2 * n, -50, 50);
        var cells = Enumerable.Range(0, n).Select(i => new Int2(v[2 * i], v[2 * i + 1])).ToArray();
        UInt4[] Run(ComputeDevice d)
        {
            using var cb = d.CreateBuffer<Int2>(cells);
            using var hb = d.CreateBuffer<UInt4>(n);
            VectorKernels.CellHashKernel.Dispatch(d, n, cb, hb, new Int2(7, -3), (uint)n);
            return hb.Read();
        }
        Parity.AssertExact(Run(Parity.Cpu), Run(Gpu), nameof(CellHash));
    }

    [WebGpuTheory]
    [InlineData(1, 1)]
    [InlineData(37, 9)]
    public void RunningSums(int rows, int cols)
    {
        var x = RandomVectors(14, rows * cols);
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<System.Numerics.Vector4>(x);
            using var sums = d.CreateBuffer<System.Numerics.Vector4>(rows * 2);
            VectorKernels.RunningSumsKernel.Dispatch(d, rows, xb, sums, (uint)rows, (uint)cols);
            return Flatten(sums.Read());
        }
        Parity.AssertClose(Run(Parity.Cpu), Run(Gpu), 1e-5, nameof(RunningSums));
    }
}

/// <summary>A WGSL error that slips through the generator is reported at the C# line that produced it.</summary>
public class SourceMapTests
{
    [WebGpuFact]
    public void Shader_error_names_the_csharp_line()
    {
        var info = ElementwiseKernels.SaxpyKernel.Info;
        // Break the generated statement of Saxpy's body, as a generator bug would.
        var broken = info.Wgsl.Replace("y[i] = params.a * x[i] + y[i];", "y[i] = params.a * x[i] + true;");
        Assert.NotEqual(info.Wgsl, broken);
        var corrupted = new KernelInfo(info.Name + "Broken", broken, 64, 1, 1, [BufferAccess.ReadOnly, BufferAccess.ReadWrite],
            info.UniformSize, sourceLines: info.SourceLines.ToArray(), sourceFile: info.SourceFile);
        var device = WebGpuTestDevice.Device;
        using var x = device.CreateBuffer<float>(4);
        using var y = device.CreateBuffer<float>(4);
        var error = Assert.Throws<WebGpuException>(() => device.Dispatch(corrupted, 4, [x, y], new byte[16]));

        var source = GeneratorHarness.RepositoryFile(SampleKernels.ElementwiseSource).Split('\n');
        int line = Array.FindIndex(source, l => l.Contains("y[i] = a * x[i] + y[i]")) + 1;
        Assert.Contains($"generated from ElementwiseKernels.cs line {line}", error.Message);
    }
}

/// <summary>
/// Kernels with barriers run on the CPU backend two ways: the generator's phased workgroup code (default, fast) and
/// the kernel's own method with a thread per invocation (sequential/debug mode). Both must agree exactly.
/// </summary>
public class CpuBarrierModesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(200)]
    [InlineData(4099)]
    public void Phased_and_threaded_workgroup_sums_agree(int n)
    {
        float[] x = Parity.RandomFloats(16, n);
        int groups = (n + 63) / 64;
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var partials = d.CreateBuffer<float>(groups);
            MemoryKernels.WorkgroupSumKernel.Dispatch(d, n, xb, partials, (uint)n);
            return partials.Read();
        }
        using var threaded = ComputeDevice.OpenCpu(new CpuOptions { Sequential = true });
        Assert.True(((KernelGen.Cpu.CpuDevice)Parity.Cpu).RunsPhased);
        Assert.False(((KernelGen.Cpu.CpuDevice)threaded).RunsPhased);
        Parity.AssertExact(Run(threaded), Run(Parity.Cpu), "WorkgroupSum phased vs threaded");
    }

    [Fact]
    public void Work_item_loop_code_is_generated_with_and_without_barriers_and_with_atomics()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.RepositoryFile(SampleKernels.MemorySource));
        var withBarriers = result.File("KernelGen.Generator.Tests.Kernels.MemoryKernels.WorkgroupSum");
        Assert.Contains("CpuWorkgroup(", withBarriers);
        Assert.Contains("__exited", withBarriers);
        var barrierFree = result.File("KernelGen.Generator.Tests.Kernels.MemoryKernels.SortEights");
        Assert.Contains("CpuWorkgroup(", barrierFree);
        Assert.DoesNotContain("__exited", barrierFree); // one loop, so a return needs no flag
        var atomics = result.File("KernelGen.Generator.Tests.Kernels.MemoryKernels.Histogram");
        Assert.Contains("CpuWorkgroup(", atomics);
        Assert.Contains("global::KernelGen.Atomic.Add(bins, ", atomics);
        Assert.Empty(result.CompilationErrors);
    }
}

/// <summary>User structs in buffers and locals: WebGPU against the CPU backend.</summary>
public class StructParityTests
{
    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(100)]
    public void Integrate(int n)
    {
        var random = new Random(18);
        var start = Enumerable.Range(0, n).Select(_ => new Particle
        {
            Position = new System.Numerics.Vector4((float)random.NextDouble(), 2f, 0f, 1f),
            Velocity = new System.Numerics.Vector4(1f, 0f, (float)random.NextDouble(), 0f),
            Mass = 0.5f + (float)random.NextDouble(),
            Steps = (uint)random.Next(100),
            Spin = new System.Numerics.Vector2(0.5f, -1f),
        }).ToArray();
        (Particle[], Pair[]) Run(ComputeDevice d)
        {
            using var particles = d.CreateBuffer<Particle>(start);
            using var pairs = d.CreateBuffer<Pair>(n);
            StructKernels.IntegrateKernel.Dispatch(d, n, particles, pairs, 0.01f, (uint)n);
            return (particles.Read(), pairs.Read());
        }
        var (cpuParticles, cpuPairs) = Run(Parity.Cpu);
        var (gpuParticles, gpuPairs) = Run(WebGpuTestDevice.Device);
        Assert.Equal(48, System.Runtime.InteropServices.Marshal.SizeOf<Particle>());
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(cpuParticles[i].Steps, gpuParticles[i].Steps);
            Assert.Equal(start[i].Steps + 1, cpuParticles[i].Steps);
            Assert.True(System.Numerics.Vector4.Distance(cpuParticles[i].Position, gpuParticles[i].Position) < 1e-5f, $"particle {i}");
            Assert.True(System.Numerics.Vector4.Distance(cpuParticles[i].Velocity, gpuParticles[i].Velocity) < 1e-5f, $"particle {i}");
            Assert.Equal(cpuParticles[i].Spin, gpuParticles[i].Spin);
            Assert.Equal(cpuPairs[i].Weights, gpuPairs[i].Weights);
            Assert.Equal(cpuPairs[i].First.Steps, gpuPairs[i].First.Steps);
        }
    }
}

/// <summary>On the CPU backend an out-of-bounds access throws, naming the invocation (WebGPU would clamp it).</summary>
public class CpuBoundsTests
{
    [Fact]
    public void Out_of_bounds_read_names_the_invocation()
    {
        using var x = Parity.Cpu.CreateBuffer<float>(10);
        using var y = Parity.Cpu.CreateBuffer<float>(30);
        // n = 30 (one workgroup, run in order) but x has 10 elements: invocation 10 is the first to read past it.
        var error = Assert.Throws<KernelExecutionException>(() => ElementwiseKernels.SaxpyKernel.Dispatch(Parity.Cpu, 30, x, y, 1f, 30u));
        Assert.Contains("ElementwiseKernels.Saxpy", error.Message);
        Assert.Contains("global id (10, 0, 0)", error.Message);
        Assert.IsType<IndexOutOfRangeException>(error.InnerException);
    }
}
