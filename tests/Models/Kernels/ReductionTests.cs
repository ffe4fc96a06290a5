using KernelGen.Models.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>Sum, mean and max along an axis (both variants) and their gradients.</summary>
public class ReductionTests
{
    private static readonly (int Outer, int Axis, int Inner)[] Shapes = [(1, 1, 1), (3, 7, 5), (1, 300, 1), (2, 65, 3)];

    public static TheoryData<ReduceKind, ReduceVariant> Cases()
    {
        var data = new TheoryData<ReduceKind, ReduceVariant>();
        foreach (var kind in Enum.GetValues<ReduceKind>())
            foreach (var variant in new[] { ReduceVariant.Loop, ReduceVariant.Workgroup })
                data.Add(kind, variant);
        return data;
    }

    internal static double[] Expected(double[] x, ReduceKind kind, int outer, int axis, int inner)
    {
        var y = new double[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                var values = Enumerable.Range(0, axis).Select(a => x[(o * axis + a) * inner + i]).ToArray();
                y[o * inner + i] = kind switch { ReduceKind.Sum => values.Sum(), ReduceKind.Mean => values.Average(), _ => values.Max() };
            }
        return y;
    }

    private static float[] Run(ComputeDevice device, float[] x, ReduceKind kind, ReduceVariant variant, int outer, int axis, int inner)
    {
        using var xb = device.CreateBuffer<float>(x);
        using var yb = device.CreateBuffer<float>(outer * inner);
        Ops.Reduce(device, kind, xb, yb, outer, axis, inner, variant);
        return yb.Read();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_float64(ReduceKind kind, ReduceVariant variant)
    {
        foreach (var (outer, axis, inner) in Shapes)
        {
            float[] x = Floats(outer * 100 + axis, outer * axis * inner, -2, 2);
            var cpu = Run(CpuOracle, x, kind, variant, outer, axis, inner);
            string what = $"{kind} {variant} [{outer}, {axis}, {inner}]";
            Close(Expected(ToDouble(x), kind, outer, axis, inner), cpu, 1e-5, what);
            if (WebGpuTestDevice.SkipReason is null)
                Close(cpu, Run(GpuDevice, x, kind, variant, outer, axis, inner), 1e-5, what + " WebGPU vs CPU");
        }
    }

    [Theory]
    [InlineData(ReduceKind.Sum)]
    [InlineData(ReduceKind.Mean)]
    [InlineData(ReduceKind.Max)]
    public void Backward_matches_finite_differences(ReduceKind kind)
    {
        const int outer = 3, axis = 7, inner = 5;
        // Distinct values (a shuffled ramp), so the maximum is isolated and central differences are meaningful.
        var random = new Random(5);
        float[] x = Enumerable.Range(0, outer * axis * inner).Select(i => i * 0.01f - 0.5f).OrderBy(_ => random.Next()).ToArray();
        float[] w = Floats(6, outer * inner);
        var numeric = GradCheck.Numeric(xs => GradCheck.Dot(w, Expected(xs, kind, outer, axis, inner)), ToDouble(x), 1e-4);
        float[] Run(ComputeDevice device)
        {
            using var xb = device.CreateBuffer<float>(x);
            using var yb = device.CreateBuffer<float>(outer * inner);
            using var dy = device.CreateBuffer<float>(w);
            using var dx = device.CreateBuffer<float>(x.Length);
            Ops.Reduce(device, kind, xb, yb, outer, axis, inner);
            Ops.ReduceBackward(device, kind, xb, yb, dy, dx, outer, axis, inner);
            return dx.Read();
        }
        var cpu = Run(CpuOracle);
        Close(numeric, cpu, 1e-4, $"{kind} gradient");
        if (WebGpuTestDevice.SkipReason is null) Close(cpu, Run(GpuDevice), 1e-6, $"{kind} gradient WebGPU vs CPU");
    }

    [Fact]
    public void Max_gradient_goes_to_the_first_of_tied_maxima()
    {
        float[] x = [1f, 3f, 3f, 2f];
        foreach (var device in Devices())
        {
            using var xb = device.CreateBuffer<float>(x);
            using var yb = device.CreateBuffer<float>(1);
            using var dy = device.CreateBuffer<float>([2f]);
            using var dx = device.CreateBuffer<float>(4);
            Ops.Reduce(device, ReduceKind.Max, xb, yb, 1, 4, 1);
            Ops.ReduceBackward(device, ReduceKind.Max, xb, yb, dy, dx, 1, 4, 1);
            Assert.Equal([0f, 2f, 0f, 0f], dx.Read());
        }
    }
}
