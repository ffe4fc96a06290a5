using KernelGen.Models.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>
/// Fused (online softmax) and composed (matmul, softmax, matmul) attention, forward and backward: float64 reference,
/// finite differences, the two against each other, multi-head plumbing, extreme scores, WebGPU vs CPU.
/// </summary>
public class AttentionTests
{
    public static readonly AttentionShape[] Shapes =
    [
        new(1, 1, 1, 1),
        new(3, 7, 7, 5, Causal: true),
        new(2, 5, 9, 16),                       // cross-attention: more keys than queries
        new(1, 70, 70, 3, Causal: true),        // two workgroups of query rows
    ];

    public static TheoryData<int, bool> Cases()
    {
        var data = new TheoryData<int, bool>();
        for (int i = 0; i < Shapes.Length; i++)
            foreach (bool fused in new[] { true, false })
                data.Add(i, fused);
        return data;
    }

    private sealed record Result(float[] O, float[] Dq, float[] Dk, float[] Dv);

    private static Result Run(ComputeDevice device, float[] q, float[] k, float[] v, float[] dO, AttentionShape s, bool fused)
    {
        using var qb = device.CreateBuffer<float>(q);
        using var kb = device.CreateBuffer<float>(k);
        using var vb = device.CreateBuffer<float>(v);
        using var o = device.CreateBuffer<float>(q.Length);
        using var saved = device.CreateBuffer<float>((int)(fused ? (long)s.BatchHeads * s.QueryLength : s.ScoreSize));
        using var dOb = device.CreateBuffer<float>(dO);
        using var dq = device.CreateBuffer<float>(q.Length);
        using var dk = device.CreateBuffer<float>(k.Length);
        using var dv = device.CreateBuffer<float>(v.Length);
        if (fused)
        {
            Ops.Attention(device, qb, kb, vb, o, saved, s);
            Ops.AttentionBackward(device, qb, kb, vb, o, saved, dOb, dq, dk, dv, s);
        }
        else
        {
            Ops.AttentionComposed(device, qb, kb, vb, o, saved, s);
            Ops.AttentionComposedBackward(device, qb, kb, vb, saved, dOb, dq, dk, dv, s);
        }
        return new Result(o.Read(), dq.Read(), dk.Read(), dv.Read());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradients_match_float64_and_finite_differences(int shapeIndex, bool fused)
    {
        var s = Shapes[shapeIndex];
        float[] q = Floats(1, (int)s.QuerySize, -2, 2), k = Floats(2, (int)s.KeySize, -2, 2), v = Floats(3, (int)s.KeySize), w = Floats(4, (int)s.QuerySize);
        double[] qd = ToDouble(q), kd = ToDouble(k), vd = ToDouble(v);
        var cpu = Run(CpuOracle, q, k, v, w, s, fused);
        string what = $"{(fused ? "fused" : "composed")} {s}";
        Close(Reference.Attention(qd, kd, vd, s), cpu.O, 2e-6, what);
        // Finite differences on the smaller shapes (each probe is a whole float64 forward pass).
        if (s.QuerySize <= 400)
        {
            Close(GradCheck.Numeric(x => GradCheck.Dot(w, Reference.Attention(x, kd, vd, s)), qd), cpu.Dq, 1e-5, what + " dq");
            Close(GradCheck.Numeric(x => GradCheck.Dot(w, Reference.Attention(qd, x, vd, s)), kd), cpu.Dk, 1e-5, what + " dk");
            Close(GradCheck.Numeric(x => GradCheck.Dot(w, Reference.Attention(qd, kd, x, s)), vd), cpu.Dv, 1e-5, what + " dv");
        }
        if (WebGpuTestDevice.SkipReason is null)
        {
            var gpu = Run(GpuDevice, q, k, v, w, s, fused);
            Close(cpu.O, gpu.O, 2e-6, what + " WebGPU vs CPU");
            Close(cpu.Dq, gpu.Dq, 1e-5, what + " dq WebGPU vs CPU");
            Close(cpu.Dk, gpu.Dk, 1e-5, what + " dk WebGPU vs CPU");
            Close(cpu.Dv, gpu.Dv, 1e-5, what + " dv WebGPU vs CPU");
        }
    }

    /// <summary>The long causal shape: fused and composed agree on everything (checked against each other, not FD).</summary>
    [Fact]
    public void Fused_and_composed_agree_on_a_longer_causal_sequence()
    {
        var s = Shapes[3];
        float[] q = Floats(5, (int)s.QuerySize, -2, 2), k = Floats(6, (int)s.KeySize, -2, 2), v = Floats(7, (int)s.KeySize), w = Floats(8, (int)s.QuerySize);
        var fused = Run(CpuOracle, q, k, v, w, s, true);
        var composed = Run(CpuOracle, q, k, v, w, s, false);
        Close(composed.O, fused.O, 2e-6, "o");
        Close(composed.Dq, fused.Dq, 1e-5, "dq");
        Close(composed.Dk, fused.Dk, 1e-5, "dk");
        Close(composed.Dv, fused.Dv, 1e-5, "dv");
    }

    /// <summary>Scores of about +-1e4 (large q and k): the online softmax's rescaling stays finite.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Extreme_scores_stay_finite(bool fused)
    {
        var s = new AttentionShape(2, 6, 6, 4, Causal: true, Scale: 1f);
        float[] q = Floats(9, (int)s.QuerySize, -50, 50), k = Floats(10, (int)s.KeySize, -50, 50), v = Floats(11, (int)s.KeySize), w = Floats(12, (int)s.QuerySize);
        var expected = Reference.Attention(ToDouble(q), ToDouble(k), ToDouble(v), s);
        foreach (var device in Devices())
        {
            var result = Run(device, q, k, v, w, s, fused);
            foreach (var (values, name) in new[] { (result.O, "o"), (result.Dq, "dq"), (result.Dk, "dk"), (result.Dv, "dv") })
                Finite(values, $"{name} on {device.Backend}");
            Close(expected, result.O, 1e-5, $"o on {device.Backend}");
        }
    }

    /// <summary>Multi-head: [batch, time, heads*dim] in and out; each head is the attention of its own slice.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Multi_head_attention_splits_and_merges_heads(bool fused)
    {
        const int batch = 2, time = 5, heads = 3, dim = 4, width = heads * dim;
        float[] q = Floats(13, batch * time * width), k = Floats(14, batch * time * width), v = Floats(15, batch * time * width);
        // The reference: per (batch, head), gather the slice, attend, scatter back.
        var expected = new double[q.Length];
        var s1 = new AttentionShape(1, time, time, dim, Causal: true);
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
            {
                double[] Slice(float[] x) => Enumerable.Range(0, time * dim).Select(i => (double)x[(b * time + i / dim) * width + h * dim + i % dim]).ToArray();
                var o = Reference.Attention(Slice(q), Slice(k), Slice(v), s1);
                for (int i = 0; i < time * dim; i++) expected[(b * time + i / dim) * width + h * dim + i % dim] = o[i];
            }
        foreach (var device in Devices())
        {
            using var qb = device.CreateBuffer<float>(q);
            using var kb = device.CreateBuffer<float>(k);
            using var vb = device.CreateBuffer<float>(v);
            using var ob = device.CreateBuffer<float>(q.Length);
            using var saved = device.CreateBuffer<float>(fused ? batch * heads * time : batch * heads * time * time);
            Ops.MultiHeadAttention(device, qb, kb, vb, ob, saved, batch, time, heads, dim, causal: true, fused: fused);
            Close(expected, ob.Read(), 2e-6, $"multi-head {(fused ? "fused" : "composed")} on {device.Backend}");
        }
    }

    [Fact]
    public void Outputs_may_not_alias_inputs()
    {
        var s = new AttentionShape(1, 2, 2, 2);
        using var q = CpuOracle.CreateBuffer<float>(4);
        using var k = CpuOracle.CreateBuffer<float>(4);
        using var v = CpuOracle.CreateBuffer<float>(4);
        using var lse = CpuOracle.CreateBuffer<float>(2);
        var error = Assert.Throws<ArgumentException>(() => Ops.Attention(CpuOracle, q, k, v, q, lse, s));
        Assert.Contains("o is also passed as q", error.Message);
    }
}
