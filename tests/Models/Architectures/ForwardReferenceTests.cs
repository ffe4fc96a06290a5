using KernelGen.Models.Architectures;
using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using KernelGen.Models.Tests.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Architectures.Ref;

namespace KernelGen.Models.Tests.Architectures;

/// <summary>
/// Each architecture's logits against a float64 reference written from the papers' definitions (see
/// <see cref="Ref"/>), with every parameter randomised (so zero-initialised layers count). Tolerance 1e-4 relative
/// to max(1, |logit|): the float32 forward's accumulated rounding over a few hundred terms is ~1e-6.
/// </summary>
public class ForwardReferenceTests
{
    private const double Tolerance = 1e-4;

    public static readonly TheoryData<string> Models =
        ["perceptron", "mlp", "cnn", "cnn+nonlocal", "cnn-gap", "cnn-gap+nonlocal", "deepcnn-residual", "deepcnn-plain", "deepcnn-wide", "vit", "mixer"];

    internal static ImageClassifier Make(string name, ComputeDevice device)
    {
        var init = new Init(device, 3);
        var small = new ImageShape(1, 8, 8);
        return name switch
        {
            "perceptron" => new Perceptron(init, small, 5),
            "mlp" => new Mlp(init, small, new MlpConfig([6, 5]), 4),
            "cnn" => new Cnn(init, small, new CnnConfig(2, 3, 6), 4),
            "cnn+nonlocal" => new Cnn(init, small, new CnnConfig(2, 3, 6, NonLocal: true, NonLocalInner: 4), 4),
            "cnn-gap" => new Cnn(init, new ImageShape(1, 8, 16), new CnnConfig(2, 3, GlobalPool: true), 4),
            "cnn-gap+nonlocal" => new Cnn(init, new ImageShape(1, 8, 16), new CnnConfig(2, 3, NonLocal: true, NonLocalInner: 4, GlobalPool: true), 4),
            "deepcnn-residual" => new DeepCnn(init, new ImageShape(2, 8, 8), new DeepCnnConfig(1, 4, Residual: true), 3),
            "deepcnn-plain" => new DeepCnn(init, new ImageShape(2, 8, 8), new DeepCnnConfig(1, 4, Residual: false), 3),
            "deepcnn-wide" => new DeepCnn(init, new ImageShape(1, 8, 16), new DeepCnnConfig(1, 4, Residual: true), 3),
            "vit" => new VisionTransformer(init, small, new VitConfig(Patch: 4, Width: 8, Layers: 1, Heads: 2, MlpRatio: 2), 4),
            "mixer" => new MlpMixer(init, small, new MixerConfig(Patch: 4, Width: 8, Layers: 1, TokenHidden: 6, ChannelHidden: 10), 4),
            _ => throw new ArgumentException(name),
        };
    }

    /// <summary>The reference logits of one image.</summary>
    internal static double[] Reference(ImageClassifier model, double[,,] x) => Reference(new Ref(model), model, x);

    internal static double[] Reference(Ref r, ImageClassifier model, double[,,] x)
    {
        switch (model)
        {
            case Perceptron:
                return r.Linear("classifier", Flatten(x));
            case Mlp mlp:
            {
                var h = Flatten(x);
                for (int i = 1; i < mlp.Layers.Count; i++) h = Map(r.Linear($"fc{i}", h), Relu);
                return r.Linear($"fc{mlp.Layers.Count}", h);
            }
            case Cnn cnn:
            {
                var h = MaxPool(Map(r.Conv("conv1", x, 5, 1, 2), Relu), 2);
                h = MaxPool(Map(r.Conv("conv2", h, 5, 1, 2), Relu), 2);
                if (cnn.NonLocal is not null)
                {
                    int height = h.GetLength(1), width = h.GetLength(2);
                    var positions = ChannelsLast(h);
                    var attended = Attention(r.Linear("nonlocal.theta", positions), r.Linear("nonlocal.phi", positions),
                        r.Linear("nonlocal.g", positions), causal: false);
                    h = Add(h, ChannelsFirst(r.Linear("nonlocal.z", attended), height, width));
                }
                if (cnn.Config.GlobalPool) return r.Linear("fc", Mean(ChannelsLast(Map(r.Conv("conv3", h, 1, 1, 0), Relu))));
                return r.Linear("fc2", Map(r.Linear("fc1", Flatten(h)), Relu));
            }
            case DeepCnn deep:
            {
                var h = Map(r.Conv("stem", x, 3, 1, 1), Relu);
                for (int stage = 1; stage <= 3; stage++)
                {
                    string name = $"stage{stage}.0";
                    int stride = stage > 1 ? 2 : 1;
                    var branch = r.Conv(name + ".conv2", Map(r.Conv(name + ".conv1", h, 3, stride, 1), Relu), 3, 1, 1);
                    if (!deep.Config.Residual) h = Map(branch, Relu);
                    else h = Map(Add(r.Has(name + ".shortcut.weight") ? r.Conv(name + ".shortcut", h, 1, stride, 0) : h, branch), Relu);
                }
                return r.Linear("classifier", Mean(ChannelsLast(h)));
            }
            case VisionTransformer vit:
            {
                var tokens = ChannelsLast(r.Conv("patch_embedding", x, 4, 4, 0));
                var table = r["positions.weight"];
                int width = tokens[0].Length;
                tokens = tokens.Select((t, i) => t.Select((v, c) => v + table[i * width + c]).ToArray()).ToArray();
                for (int b = 0; b < vit.Blocks.Count; b++) tokens = r.TransformerBlock($"blocks.{b}", tokens, vit.Config.Heads, causal: false);
                return r.Linear("classifier", Mean(r.LayerNorm("norm", tokens)));
            }
            case MlpMixer mixer:
            {
                var tokens = ChannelsLast(r.Conv("patch_embedding", x, 4, 4, 0));
                for (int b = 0; b < mixer.Blocks.Count; b++)
                {
                    string name = $"blocks.{b}";
                    tokens = Add(tokens, Transpose(r.FeedForward(name + ".token_mixing", Transpose(r.LayerNorm(name + ".norm1", tokens)))));
                    tokens = Add(tokens, r.FeedForward(name + ".channel_mixing", r.LayerNorm(name + ".norm2", tokens)));
                }
                return r.Linear("classifier", Mean(r.LayerNorm("norm", tokens)));
            }
            default:
                throw new ArgumentException(model.GetType().Name);
        }
    }

    internal static void CheckAgainstReference(string name, ComputeDevice device)
    {
        using var model = Make(name, device);
        Nn.NumericGrad.Randomize(model.Parameters(), 17, 0.5f);
        model.Eval();
        var input = model.Input;
        const int batch = 3;
        var images = KernelCheck.Floats(5, batch * input.Pixels);
        using var pool = new BufferPool(device);
        float[] logits;
        using (var graph = new Graph(pool, recordGradients: false) { Training = false })
        {
            var y = model.Forward(graph.Input(images, new Shape(batch, input.Channels, input.Height, input.Width)));
            Assert.Equal(new Shape(batch, model.Classes), y.Shape);
            logits = y.ToArray();
        }
        var expected = Enumerable.Range(0, batch)
            .SelectMany(i => Reference(model, Image(images, i, input.Channels, input.Height, input.Width))).ToArray();
        Assert.True(expected.Select(Math.Abs).Max() > 1e-2, "the logits are all ~0; the test would prove nothing");
        KernelCheck.Close(expected, logits, Tolerance, $"{name} on {device.Backend}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Logits_match_the_reference_on_cpu(string name) => CheckAgainstReference(name, KernelCheck.CpuOracle);

    [WebGpuTheory]
    [MemberData(nameof(Models))]
    public void Logits_match_the_reference_on_webgpu(string name) => CheckAgainstReference(name, KernelCheck.GpuDevice);

    internal static void CheckGpt(ComputeDevice device, int time)
    {
        using var gpt = new Gpt(new Init(device, 3), new GptConfig(Vocabulary: 11, Context: 8, Layers: 1, Heads: 2, Width: 8));
        Nn.NumericGrad.Randomize(gpt.Parameters(), 17, 0.5f);
        gpt.Eval();
        const int batch = 2;
        var random = new Random(time);
        var ids = Enumerable.Range(0, batch * time).Select(_ => random.Next(11)).ToArray();
        using var pool = new BufferPool(device);
        float[] logits;
        using (var graph = new Graph(pool, recordGradients: false) { Training = false })
        {
            var y = gpt.Forward(graph.Indices(ids, new Shape(batch, time), 11, "token"));
            Assert.Equal(new Shape(batch, time, 11), y.Shape);
            logits = y.ToArray();
        }
        var r = new Ref(gpt);
        var expected = new List<double>();
        var emb = r["token_embedding.weight"];
        var pos = r["positions.weight"];
        for (int b = 0; b < batch; b++)
        {
            var x = Enumerable.Range(0, time)
                .Select(t => Enumerable.Range(0, 8).Select(c => emb[ids[b * time + t] * 8 + c] + pos[t * 8 + c]).ToArray()).ToArray();
            x = r.TransformerBlock("blocks.0", x, 2, causal: true);
            foreach (var row in r.Linear("head", r.LayerNorm("norm", x))) expected.AddRange(row);
        }
        KernelCheck.Close(expected.ToArray(), logits, Tolerance, $"gpt on {device.Backend}");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(5)]
    public void Gpt_logits_match_the_reference_on_cpu(int time) => CheckGpt(KernelCheck.CpuOracle, time);

    [WebGpuTheory]
    [InlineData(8)]
    [InlineData(5)]
    public void Gpt_logits_match_the_reference_on_webgpu(int time) => CheckGpt(KernelCheck.GpuDevice, time);

    [Fact]
    public void Gpt_causality_a_later_token_does_not_change_earlier_logits()
    {
        var device = KernelCheck.CpuOracle;
        using var gpt = new Gpt(new Init(device, 3), new GptConfig(11, 8, 1, 2, 8));
        using var pool = new BufferPool(device);
        float[] Run(int[] ids)
        {
            using var graph = new Graph(pool, recordGradients: false) { Training = false };
            return gpt.Forward(graph.Indices(ids, new Shape(1, ids.Length), 11, "token")).ToArray();
        }
        var a = Run([1, 2, 3, 4]);
        var b = Run([1, 2, 3, 9]);
        Assert.Equal(a[..33], b[..33]);
        Assert.NotEqual(a[33..], b[33..]);
    }
}

/// <summary>
/// Whole architectures' gradients (a sample of every parameter) against central differences of the float64
/// reference's loss. Not of the float32 forward: these networks are piecewise (hundreds of ReLU and max-pool pieces
/// with random weights), and a float32 quotient needs h &gt;= 1e-3 to rise above rounding, a step that crosses kinks
/// (measured: the quotient for conv1.weight[2] of the CNN only approaches the backward's value below h = 1e-4). In
/// float64, h = 1e-6 crosses none.
/// </summary>
public class ArchitectureGradientTests
{
    private static double CrossEntropy(double[] logits, int target)
    {
        double max = logits.Max(), sum = logits.Sum(v => Math.Exp(v - max));
        return Math.Log(sum) + max - logits[target];
    }

    [Theory]
    [MemberData(nameof(ForwardReferenceTests.Models), MemberType = typeof(ForwardReferenceTests))]
    public void Every_parameter_gets_the_gradient_of_the_loss(string name)
    {
        var device = Nn.NumericGrad.CpuDevice;
        using var model = ForwardReferenceTests.Make(name, device);
        Nn.NumericGrad.Randomize(model.Parameters(), 17, 0.5f);
        var input = model.Input;
        const int batch = 2;
        var images = KernelCheck.Floats(5, batch * input.Pixels);
        int[] targets = [1, 2];
        using var pool = new BufferPool(device);
        using (var g = new Graph(pool))
        {
            var loss = Functional.CrossEntropy(model.Forward(g.Input(images, new Shape(batch, input.Channels, input.Height, input.Width))),
                g.Indices(targets, new Shape(batch), model.Classes));
            model.ZeroGrad();
            loss.Backward();
        }
        var r = new Ref(model);
        var xs = Enumerable.Range(0, batch).Select(i => Image(images, i, input.Channels, input.Height, input.Width)).ToArray();
        double Loss() => Enumerable.Range(0, batch).Average(i => CrossEntropy(ForwardReferenceTests.Reference(r, model, xs[i]), targets[i]));
        var random = new Random(3);
        const double h = 1e-6;
        foreach (var (pname, tensor) in model.NamedParameters())
        {
            var analytic = tensor.Grad!.ToArray();
            var values = r[pname];
            for (int s = 0; s < 4; s++)
            {
                int i = random.Next(values.Length);
                double original = values[i];
                values[i] = original + h;
                double plus = Loss();
                values[i] = original - h;
                double minus = Loss();
                values[i] = original;
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(analytic[i] - numeric) <= 1e-3 * Math.Max(Math.Abs(numeric), 1e-2),
                    $"{name} {pname}[{i}]: backward gives {analytic[i]:G6}, central difference {numeric:G6}");
            }
        }
    }

    [Fact]
    public void Gpt_every_parameter_gets_the_gradient_of_the_loss()
    {
        using var gpt = new Gpt(new Init(Nn.NumericGrad.CpuDevice, 3), new GptConfig(11, 8, 2, 2, 8));
        Nn.NumericGrad.Randomize(gpt.Parameters(), 17, 0.5f);
        var random = new Random(2);
        var ids = Enumerable.Range(0, 2 * 6).Select(_ => random.Next(11)).ToArray();
        // Smooth everywhere (GELU, softmax, layer norm): the float32 forward's quotient is accurate enough.
        Nn.NumericGrad.Check([.. gpt.Parameters()], g => Nn.NumericGrad.Loss(gpt.Forward(g.Indices(ids, new Shape(2, 6), 11, "token"))), sample: 4);
        // Positions past the sequence (6, 7) get no gradient.
        var positions = gpt.Positions.Table.Grad!.ToArray();
        Assert.All(positions[(6 * 8)..], v => Assert.Equal(0f, v));
    }
}
