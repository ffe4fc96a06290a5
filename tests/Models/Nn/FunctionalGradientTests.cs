using KernelGen.Models.Tensors;
using Xunit;
using static KernelGen.Models.Tensors.Functional;
using static KernelGen.Models.Tests.Nn.NumericGrad;

namespace KernelGen.Models.Tests.Nn;

/// <summary>Every differentiable operation of <see cref="Functional"/> against central differences (CPU backend).</summary>
public class FunctionalGradientTests
{
    private static float[] Values(int seed, int n, float scale = 1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Linear_weight_bias_and_input(bool bias)
    {
        var x = Param(new Shape(3, 4), 1, "x");
        var w = Param(new Shape(5, 4), 2, "w");
        var b = bias ? Param(new Shape(5), 3, "b") : null;
        Tensor[] ps = b is null ? [x, w] : [x, w, b];
        Check(ps, g => Loss(Linear(Lift(g, x), w, b)));
    }

    [Fact]
    public void Linear_over_a_rank_3_input()
    {
        var x = Param(new Shape(2, 3, 4), 1, "x");
        var w = Param(new Shape(3, 4), 2, "w");
        var b = Param(new Shape(3), 3, "b");
        Check([x, w, b], g => Loss(Linear(Lift(g, x), w, b)));
    }

    [Fact]
    public void Add_and_AddBroadcast()
    {
        var a = Param(new Shape(3, 4), 1, "a");
        var c = Param(new Shape(3, 4), 2, "c");
        var row = Param(new Shape(4), 3, "row");
        var table = Param(new Shape(3, 4), 4, "table");
        var y = Param(new Shape(2, 3, 4), 5, "y");
        Check([a, c, row], g => Loss(AddBroadcast(Add(Lift(g, a), Lift(g, c)), row)));
        Check([y, table], g => Loss(AddBroadcast(Lift(g, y), table)));
    }

    [Fact]
    public void AddPositions_gives_rows_past_the_sequence_no_gradient()
    {
        var x = Param(new Shape(2, 3, 4), 1, "x");
        var table = Param(new Shape(5, 4), 2, "table");
        Check([x, table], g => Loss(AddPositions(Lift(g, x), table)));
        var grad = table.Grad!.ToArray();
        Assert.All(grad[12..], v => Assert.Equal(0f, v));
        // Twice in one pass (the second contribution adds to the first).
        Check([x, table], g =>
        {
            var lifted = Lift(g, x);
            return Loss(Add(AddPositions(lifted, table), AddPositions(lifted, table)));
        });
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("gelu")]
    [InlineData("tanh")]
    public void Activations(string kind)
    {
        // Values at least 0.1 away from ReLU's kink, so x +- h stays on one side.
        var values = Values(1, 12).Select(v => v >= 0 ? v + 0.1f : v - 0.1f).ToArray();
        var x = Tensor.Parameter(CpuDevice, new Shape(3, 4), values, "x");
        Func<Tensor, Tensor> f = kind switch { "relu" => t => Relu(t), "gelu" => t => Gelu(t), _ => t => Tanh(t) };
        Check([x], g => Loss(f(Lift(g, x))), h: 3e-3);
    }

    [Fact]
    public void Reshape_and_Flatten()
    {
        var x = Param(new Shape(2, 2, 3), 1, "x");
        Check([x], g => Loss(Reshape(Flatten(Lift(g, x)), new Shape(4, 3))));
    }

    [Fact]
    public void Layout_operations()
    {
        var map = Param(new Shape(2, 3, 2, 2), 1, "map");
        var seq = Param(new Shape(2, 4, 6), 2, "seq");
        var w = Param(new Shape(5, 3), 3, "w");
        var w6 = Param(new Shape(5, 6), 4, "w6");
        var w4 = Param(new Shape(3, 4), 5, "w4");
        // Each layout change is followed by a linear map so the loss depends on where every element went.
        Check([map, w], g => Loss(Linear(ChannelsLast(Lift(g, map)), w)));
        Check([seq, w4], g => Loss(Linear(Reshape(ChannelsFirst(Lift(g, seq), 2, 2), new Shape(12, 4)), w4)));
        Check([seq, w4], g => Loss(Linear(TransposeLastTwo(Lift(g, seq)), w4)));
        Check([seq, w], g => Loss(Linear(SplitHeads(Lift(g, seq), 2), w)));
        var heads = Param(new Shape(4, 4, 3), 6, "heads");
        Check([heads, w6], g => Loss(Linear(MergeHeads(Lift(g, heads), 2), w6)));
        Check([seq, w6], g => Loss(Linear(SwapMiddle(Lift(g, seq), 2, 2, 2, 6, new Shape(2, 4, 6)), w6)));
    }

    [Fact]
    public void MeanOverTime()
    {
        var x = Param(new Shape(2, 3, 4), 1, "x");
        Check([x], g => Loss(Functional.MeanOverTime(Lift(g, x))), h: 3e-2);
    }

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(1, 1, true)]
    [InlineData(2, 1, true)]
    [InlineData(2, 0, false)]
    public void Conv2d(int stride, int padding, bool bias)
    {
        var x = Param(new Shape(2, 2, 5, 5), 1, "x");
        var w = Param(new Shape(3, 2, 3, 3), 2, "w", 0.5f);
        var b = bias ? Param(new Shape(3), 3, "b") : null;
        Tensor[] ps = b is null ? [x, w] : [x, w, b];
        Check(ps, g => Loss(Functional.Conv2d(Lift(g, x), w, b, stride, padding)), sample: 20);
    }

    [Fact]
    public void MaxPool2d_and_AvgPool2d()
    {
        // Distinct values 0.1 apart: a perturbation of 3e-3 never changes a window's maximum.
        var random = new Random(1);
        var values = Enumerable.Range(0, 2 * 2 * 4 * 4).Select(i => i * 0.1f - 3f).OrderBy(_ => random.Next()).ToArray();
        var x = Tensor.Parameter(CpuDevice, new Shape(2, 2, 4, 4), values, "x");
        Check([x], g => Loss(Reshape(MaxPool2d(Lift(g, x), 2), new Shape(4, 4))), h: 3e-3);
        Check([x], g => Loss(Reshape(MaxPool2d(Lift(g, x), 3, 1), new Shape(4, 4))), h: 3e-3);
        Check([x], g => Loss(Reshape(AvgPool2d(Lift(g, x), 2), new Shape(4, 4))));
        Check([x], g => Loss(Reshape(AvgPool2d(Lift(g, x), 2, 1), new Shape(4, 9))));
    }

    [Fact]
    public void LayerNorm()
    {
        var x = Param(new Shape(3, 5), 1, "x");
        var gain = Param(new Shape(5), 2, "gain");
        var shift = Param(new Shape(5), 3, "shift");
        Check([x, gain, shift], g => Loss(Functional.LayerNorm(Lift(g, x), gain, shift)));
        // Gain and shift used twice in one pass, and the input's gradient arriving second (the residual).
        Check([x, gain, shift], g =>
        {
            var t = Lift(g, x);
            var n = Functional.LayerNorm(t, gain, shift);
            return Loss(Add(t, Functional.LayerNorm(n, gain, shift)));
        });
    }

    [Theory]
    [InlineData(4, false, 3)]
    [InlineData(4, true, 3)]
    [InlineData(10, false, 3)]
    [InlineData(10, true, 3)]
    [InlineData(4, false, 5)]
    [InlineData(10, false, 5)]
    public void ScaledDotProductAttention(int headDim, bool causal, int keys)
    {
        Assert.Equal(headDim == 4, KernelGen.Models.Kernels.Ops.FusedAttentionSupports(new KernelGen.Models.Kernels.AttentionShape(2, 3, keys, headDim, causal)));
        var q = Param(new Shape(2, 3, headDim), 1, "q");
        var k = Param(new Shape(2, keys, headDim), 2, "k");
        var v = Param(new Shape(2, keys, headDim), 3, "v");
        Check([q, k, v], g => Loss(Functional.ScaledDotProductAttention(Lift(g, q), Lift(g, k), Lift(g, v), causal && keys == 3)),
            sample: 20);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(10)]
    public void ScaledDotProductAttention_of_one_tensor_as_query_key_and_value(int headDim)
    {
        var x = Param(new Shape(2, 3, headDim), 1, "x");
        Check([x], g =>
        {
            var t = Lift(g, x);
            return Loss(Functional.ScaledDotProductAttention(t, t, t, causal: false));
        }, sample: 20);
    }

    [Fact]
    public void Embedding()
    {
        var table = Param(new Shape(6, 4), 1, "table");
        int[] ids = [0, 3, 3, 5, 1, 3];   // repeated ids sum their rows' gradients; rows 2 and 4 get none
        Check([table], g => Loss(Functional.Embedding(g.Indices(ids, new Shape(2, 3), 6, "token"), table)));
        var grad = table.Grad!.ToArray();
        Assert.All(grad[8..12].Concat(grad[16..20]), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void CrossEntropy_as_root_and_inside_the_graph()
    {
        var logits = Param(new Shape(4, 5), 1, "logits", 2f);
        Check([logits], g => Loss(Lift(g, logits)));
        // Not the root: the loss used twice (2 CE), then the gradient is scaled by dLoss.
        Check([logits], g =>
        {
            var l = Loss(Lift(g, logits));
            return Add(l, l);
        });
        var grad = logits.Grad!.ToArray();
        // d(2 mean CE)/dlogits = 2 (softmax - onehot) / rows: each row sums to 0.
        for (int r = 0; r < 4; r++) Assert.True(Math.Abs(grad.Skip(r * 5).Take(5).Sum()) < 1e-5);
    }

    [Fact]
    public void Dropout_gradient_is_the_mask_over_keep_probability()
    {
        const float p = 0.5f;
        var x = Param(new Shape(4, 8), 1, "x");
        var w = Param(new Shape(8, 8), 2, "w");
        using var pool = new BufferPool(CpuDevice);
        float[] before, after, dAfter, dBefore;
        using (var g = new Graph(pool) { Training = true, Seed = 42 })
        {
            var h = Linear(Lift(g, x), w);
            var d = Dropout(h, p);
            var l = Loss(d);
            l.Backward();
            before = h.ToArray();
            after = d.ToArray();
            dBefore = h.Grad!.ToArray();
            dAfter = d.Grad!.ToArray();
        }
        int dropped = 0;
        for (int i = 0; i < before.Length; i++)
        {
            bool kept = after[i] != 0f;
            if (!kept) dropped++;
            Assert.Equal(kept ? before[i] / (1 - p) : 0f, after[i], 5);
            Assert.Equal(kept ? dAfter[i] / (1 - p) : 0f, dBefore[i], 6);
        }
        Assert.InRange(dropped, 6, 26);   // about p * 32
        // The same seed gives the same mask, so central differences through it match too.
        Check([x, w], g => Loss(Dropout(Linear(Lift(g, x), w), p)), seed: 42);
        // In evaluation dropout is the identity.
        using (var g = new Graph(pool, recordGradients: false) { Training = false })
        {
            var t = Lift(g, x);
            Assert.Same(t, Dropout(t, p));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_dropouts_of_one_pass_draw_different_masks(bool recordGradients)
    {
        // Also where nothing is recorded between them (no gradients, or an input that needs none).
        using var pool = new BufferPool(CpuDevice);
        using var g = new Graph(pool, recordGradients) { Training = true, Seed = 3 };
        var x = g.Input(Enumerable.Repeat(1f, 64).ToArray(), new Shape(64));
        var first = Dropout(x, 0.5f).ToArray();
        Assert.NotEqual(first, Dropout(x, 0.5f).ToArray());
        using var again = new Graph(pool, recordGradients) { Training = true, Seed = 3 };
        Assert.Equal(first, Dropout(again.Input(Enumerable.Repeat(1f, 64).ToArray(), new Shape(64)), 0.5f).ToArray());
    }

    [Fact]
    public void A_tensor_used_twice_gets_the_sum_of_its_gradients()
    {
        var x = Param(new Shape(3, 4), 1, "x");
        var w = Param(new Shape(4, 4), 2, "w");
        Check([x], g =>
        {
            var t = Lift(g, x);
            return Loss(Add(t, t));
        });
        // A residual: x + relu(x W), and a weight shared by two layers.
        Check([x, w], g =>
        {
            var t = Lift(g, x);
            var r = Add(t, Tanh(Linear(t, w)));
            return Loss(Linear(r, w));
        });
    }
}
