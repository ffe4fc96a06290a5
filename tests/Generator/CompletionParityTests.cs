using System.Numerics;
using KernelGen.Generator.Tests.Kernels;
using KernelGen.Tests;
using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Compare-exchange atomics, integer-vector Min/Max/Clamp/Abs, the further math intrinsics and uniform structs:
/// WebGPU against the CPU backend.
/// </summary>
public class CompletionParityTests
{
    private static ComputeDevice Gpu => WebGpuTestDevice.Device;

    [WebGpuTheory]
    [InlineData(1, 1)]
    [InlineData(1000, 3)]
    [InlineData(100_003, 16)]
    public void FloatAtomicSum(int n, int buckets)
    {
        // Small whole numbers: every partial sum is exact in f32, so any order of the atomic adds gives the same bits.
        float[] x = Parity.RandomInts(21, n, -8, 9).Select(v => (float)v).ToArray();
        uint[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var sums = d.CreateBuffer<uint>(buckets); // zeros: the bits of 0f
            CompletionKernels.FloatAtomicSumKernel.Dispatch(d, n, xb, sums, (uint)buckets, (uint)n);
            return sums.Read();
        }
        var cpu = Run(Parity.Cpu);
        Parity.AssertExact(cpu, Run(Gpu), nameof(FloatAtomicSum));
        for (int b = 0; b < buckets; b++)
        {
            float expected = 0f;
            for (int i = b; i < n; i += buckets) expected += x[i];
            Assert.Equal(expected, BitConverter.UInt32BitsToSingle(cpu[b]));
        }
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(65_536)]
    public void ClaimSlots_with_distinct_keys_every_exchange_succeeds(int n)
    {
        // One invocation per slot: a strong compare-exchange against the free marker cannot fail, so each invocation
        // sees -1 and owns its slot. A spurious failure of WGSL's weak exchange would leave a slot at -1.
        int[] keys = Enumerable.Range(0, n).OrderBy(i => (i * 7919L) % n).ToArray();
        var (cpuOwners, cpuSeen) = ClaimSlots(Parity.Cpu, keys, n);
        var (gpuOwners, gpuSeen) = ClaimSlots(Gpu, keys, n);
        Parity.AssertExact(cpuOwners, gpuOwners, "ClaimSlots owners");
        Parity.AssertExact(cpuSeen, gpuSeen, "ClaimSlots seen");
        Assert.All(cpuSeen, s => Assert.Equal(-1, s));
        for (int i = 0; i < n; i++) Assert.Equal(i, cpuOwners[keys[i]]);
    }

    [WebGpuTheory]
    [InlineData(1000, 10)]
    [InlineData(100_003, 257)]
    public void ClaimSlots_with_shared_keys_has_exactly_one_winner_per_slot(int n, int slots)
    {
        int[] keys = Parity.RandomInts(22, n, 0, slots);
        foreach (var device in new[] { Parity.Cpu, Gpu })
        {
            var (owners, seen) = ClaimSlots(device, keys, slots);
            for (int slot = 0; slot < slots; slot++)
            {
                var contenders = Enumerable.Range(0, n).Where(i => keys[i] == slot).ToList();
                if (contenders.Count == 0)
                {
                    Assert.Equal(-1, owners[slot]);
                    continue;
                }
                // The winner saw the slot free; everyone else saw the winner (the slot never changes again).
                int winner = owners[slot];
                Assert.Contains(winner, contenders);
                Assert.Equal(-1, seen[winner]);
                Assert.All(contenders.Where(i => i != winner), i => Assert.Equal(winner, seen[i]));
            }
        }
    }

    private static (int[] Owners, int[] Seen) ClaimSlots(ComputeDevice d, int[] keys, int slots)
    {
        using var kb = d.CreateBuffer<int>(keys);
        using var owners = d.CreateBuffer<int>(Enumerable.Repeat(-1, slots).ToArray());
        using var seen = d.CreateBuffer<int>(keys.Length);
        CompletionKernels.ClaimSlotsKernel.Dispatch(d, keys.Length, kb, owners, seen, (uint)keys.Length);
        return (owners.Read(), seen.Read());
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(1000)]
    public void LaneLimits(int n)
    {
        var r = Parity.RandomInts(23, 6 * n, -2000, 2000);
        var x = Enumerable.Range(0, n).Select(i => new Int4(r[6 * i], r[6 * i + 1], r[6 * i + 2], r[6 * i + 3])).ToArray();
        x[0] = new Int4(int.MinValue, int.MaxValue, 0, -1); // abs(int.MinValue) wraps to itself on both sides
        var u = Enumerable.Range(0, n).Select(i => new UInt2((uint)(r[6 * i + 4] + 2000), (uint)(r[6 * i + 5] + 2000) / 3)).ToArray();
        (Int4[], UInt2[]) Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<Int4>(x);
            using var ub = d.CreateBuffer<UInt2>(u);
            using var yb = d.CreateBuffer<Int4>(n);
            using var vb = d.CreateBuffer<UInt2>(n);
            CompletionKernels.LaneLimitsKernel.Dispatch(d, n, xb, ub, yb, vb, new Int4(-500, -100, 0, 7), new Int4(500, 100, 1000, 7), (uint)n);
            return (yb.Read(), vb.Read());
        }
        var cpu = Run(Parity.Cpu);
        var gpu = Run(Gpu);
        Parity.AssertExact(cpu.Item1, gpu.Item1, "LaneLimits Int4");
        Parity.AssertExact(cpu.Item2, gpu.Item2, "LaneLimits UInt2");
        // One lane by hand: clamp(a) + |a| - max(a, -a) + min(a, low) + min(a.X, a.W) for a lane of x[1].
        if (n > 1)
        {
            int a = x[1].X, expected = Math.Clamp(a, -500, 500) + Math.Abs(a) - Math.Max(a, -a) + Math.Min(a, -500) + Math.Min(a, x[1].W);
            Assert.Equal(expected, cpu.Item1[1].X);
        }
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(161)]
    public void MoreMath(int n)
    {
        // Quarters from -10 to 10: exact halves (round to even), zero (sign 0), negatives.
        float[] x = Enumerable.Range(0, n).Select(i => (i % 81 - 40) / 4f).ToArray();
        (float[], float[], int[]) Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(n);
            using var rb = d.CreateBuffer<float>(n);
            using var sb = d.CreateBuffer<int>(n);
            CompletionKernels.MoreMathKernel.Dispatch(d, n, xb, yb, rb, sb, (uint)n);
            return (yb.Read(), rb.Read(), sb.Read());
        }
        var cpu = Run(Parity.Cpu);
        var gpu = Run(Gpu);
        Parity.AssertClose(cpu.Item1, gpu.Item1, 1e-5, "MoreMath");
        Parity.AssertClose(cpu.Item2, gpu.Item2, 0, "MoreMath round");
        Parity.AssertExact(cpu.Item3, gpu.Item3, "MoreMath signs");
        Assert.Equal(x.Select(v => MathF.Round(v)), cpu.Item2);
        if (n > 50) Assert.Equal(new[] { -2f, -1f, -1f, -1f, -0f }, cpu.Item2.Skip(34).Take(5)); // -1.5 -1.25 -1 -0.75 -0.5
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(1000)]
    public void ApplyTransform(int n)
    {
        var f = Parity.RandomFloats(24, 4 * n);
        var x = Enumerable.Range(0, n).Select(i => new Vector4(f[4 * i], f[4 * i + 1], f[4 * i + 2], f[4 * i + 3])).ToArray();
        var t = new Transform { Scale = new Vector4(2f, -1f, 0.5f, 3f), Offset = new Vector2(0.25f, -4f), Gain = 1.5f, Mode = 1 };
        var w = new Window { Start = n / 4, Count = n / 2 + 1 };
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<Vector4>(x);
            using var yb = d.CreateBuffer<Vector4>(n);
            CompletionKernels.ApplyTransformKernel.Dispatch(d, n, xb, yb, 7f, t, w, -0.75f, (uint)n);
            return yb.Read().SelectMany(v => new[] { v.X, v.Y, v.Z, v.W }).ToArray();
        }
        var cpu = Run(Parity.Cpu);
        Parity.AssertClose(cpu, Run(Gpu), 1e-6, nameof(ApplyTransform));
        // Every field and the scalars around the structs arrive: check one transformed element by hand.
        int k = w.Start;
        var expected = x[k] * t.Scale + new Vector4(0.25f, -4f, 7f, 0f) * 1.5f + Vector4.One * -0.75f;
        Assert.Equal(expected, new Vector4(cpu[4 * k], cpu[4 * k + 1], cpu[4 * k + 2], cpu[4 * k + 3]));
        if (n > 1) Assert.Equal(x[n - 1].X, cpu[4 * (n - 1)]); // outside the window: copied
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(200)]
    public void MirrorMath_on_webgpu_and_both_cpu_modes(int n)
    {
        float[] x = Parity.RandomFloats(25, n, -6f, 6f);
        (float[], int[]) Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var fb = d.CreateBuffer<float>(n);
            using var ib = d.CreateBuffer<int>(n);
            CompletionKernels.MirrorMathKernel.Dispatch(d, n, xb, fb, ib, new Int2(-3, 4), (uint)n);
            return (fb.Read(), ib.Read());
        }
        using var threaded = ComputeDevice.OpenCpu(new CpuOptions { Sequential = true });
        var phased = Run(Parity.Cpu);
        var sequential = Run(threaded);
        var gpu = Run(Gpu);
        Parity.AssertExact(sequential.Item1, phased.Item1, "MirrorMath phased vs threaded");
        Parity.AssertExact(sequential.Item2, phased.Item2, "MirrorMath phased vs threaded ints");
        Parity.AssertClose(phased.Item1, gpu.Item1, 1e-5, "MirrorMath");
        Parity.AssertExact(phased.Item2, gpu.Item2, "MirrorMath ints");
    }

    [Fact]
    public void MirrorMath_runs_as_phased_code_that_spells_the_new_intrinsics()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.RepositoryFile(SampleKernels.CompletionSource));
        Assert.Empty(result.CompilationErrors);
        var stub = result.File("KernelGen.Generator.Tests.Kernels.CompletionKernels.MirrorMath");
        var phased = stub.Substring(stub.IndexOf("CpuWorkgroup(global::", StringComparison.Ordinal));
        foreach (var call in new[] { "Single.Exp2(", "Single.Lerp(", "MathF.Asinh(", "MathF.Sign(", "Int2.Clamp(", "Int2.Abs(", "BitConverter.SingleToInt32Bits(" })
            Assert.Contains(call, phased);
    }
}
