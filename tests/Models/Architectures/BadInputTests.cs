using KernelGen.Models.Architectures;
using KernelGen.Models.Nn;
using KernelGen.Models.Optim;
using KernelGen.Models.Tensors;
using KernelGen.Models.Tests.Kernels;
using KernelGen.Models.Training;
using Xunit;

namespace KernelGen.Models.Tests.Architectures;

/// <summary>Wrong inputs fail early, with messages that say what and where; a non-finite loss changes nothing.</summary>
public class BadInputTests
{
    private static readonly ComputeDevice Device = KernelCheck.CpuOracle;

    [Theory]
    [MemberData(nameof(ForwardReferenceTests.Models), MemberType = typeof(ForwardReferenceTests))]
    public void A_wrong_image_size_names_the_model_and_both_shapes_before_any_dispatch(string name)
    {
        using var model = ForwardReferenceTests.Make(name, Device);
        var s = model.Input;
        using var pool = new BufferPool(Device);
        foreach (var wrong in new[] { new Shape(2, s.Channels, s.Height + 4, s.Width), new Shape(2, s.Channels + 1, s.Height, s.Width), new Shape(2, s.Pixels) })
        {
            using var batch = Device.BeginBatch();
            using var graph = new Graph(pool);
            var x = graph.Input(new float[wrong.Count], wrong);
            var e = Assert.Throws<ShapeException>(() => model.Forward(x));
            Assert.Equal(0, batch.DispatchCount);
            Assert.Equal(0, graph.NodeCount);
            Assert.Equal(model.GetType().Name, e.Operation);
            Assert.Contains(model.GetType().Name, e.Message);
            Assert.Contains($"[batch, {s.Channels}, {s.Height}, {s.Width}]", e.Message);
            Assert.Contains(wrong.ToString(), e.Message);
        }
    }

    [Fact]
    public void A_graph_back_propagates_once()
    {
        using var pool = new BufferPool(Device);
        using var layer = new Linear(new Init(Device, 1), 3, 2);
        using var graph = new Graph(pool);
        var loss = Functional.CrossEntropy(layer.Forward(graph.Input([1f, 2f, 3f], new Shape(1, 3))), graph.Indices([1], new Shape(1), 2));
        loss.Backward();
        var e = Assert.Throws<InvalidOperationException>(loss.Backward);
        Assert.Contains("already back-propagated", e.Message);
    }

    [Fact]
    public void Gpt_refuses_a_sequence_longer_than_its_context()
    {
        using var gpt = new Gpt(new Init(Device, 1), new GptConfig(11, 8, 1, 2, 8));
        using var pool = new BufferPool(Device);
        using var graph = new Graph(pool);
        var e = Assert.Throws<ShapeException>(() => gpt.Forward(graph.Indices(new int[18], new Shape(2, 9), 11, "token")));
        Assert.Contains("[2, 9]", e.Message);
        Assert.Contains("8", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.Indices([1, 11], new Shape(1, 2), 11, "token"));
    }

    [Theory]
    [InlineData(new[] { 0, 12, 3 }, 1, 12)]
    [InlineData(new[] { 0, 1, -1 }, 2, -1)]
    [InlineData(new[] { 10, 1, 2 }, 0, 10)]
    public void A_label_out_of_range_names_its_index_and_value(int[] labels, int index, int value)
    {
        using var pool = new BufferPool(Device);
        using var graph = new Graph(pool);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => graph.Indices(labels, new Shape(3), 10));
        Assert.Contains($"label {index} is {value}", e.Message);
        Assert.Contains("[0, 10)", e.Message);
    }

    [Fact]
    public void Mismatched_layers_name_the_layer_path_and_both_shapes()
    {
        using var mlp = new Mlp(new Init(Device, 1), new ImageShape(1, 4, 4), new MlpConfig([6]), 3);
        using var pool = new BufferPool(Device);
        using var graph = new Graph(pool);
        var e = Assert.Throws<ShapeException>(() => mlp.Layers[1].Forward(graph.Input(new float[14], new Shape(2, 7))));
        Assert.Equal("fc2", e.Layer);
        Assert.Contains("'fc2'", e.Message);
        Assert.Contains("[2, 7]", e.Message);
        Assert.Contains("[3, 6]", e.Message);

        // A stack whose second linear layer expects the wrong width, inside a model: the path is the full dotted one.
        var init = new Init(Device, 1);
        using var stack = new Holder(new Sequential(new Linear(init, 4, 5), new Relu(), new Linear(init, 6, 2)));
        var e2 = Assert.Throws<ShapeException>(() => stack.Forward(graph.Input(new float[8], new Shape(2, 4))));
        Assert.Equal("body.2", e2.Layer);
        Assert.Contains("[2, 5]", e2.Message);
        Assert.Contains("[2, 6]", e2.Message);
        Assert.Equal("Linear", e2.Operation);

        var conv = new Conv2d(init, 3, 4, 3);
        var e3 = Assert.Throws<ShapeException>(() => conv.Forward(graph.Input(new float[2 * 2 * 25], new Shape(2, 2, 5, 5))));
        Assert.Contains("[2, 2, 5, 5]", e3.Message);
        Assert.Contains("[4, 3, 3, 3]", e3.Message);
        conv.Dispose();
    }

    /// <summary>A clipped step (the clip scale has a buffer of its own, apart from the metrics) is skipped the same way.</summary>
    [Fact]
    public Task A_non_finite_loss_skips_a_clipped_step_too() =>
        A_non_finite_loss_skips_the_step_and_leaves_every_parameter_bit_identical(float.NaN, 1f);

    private sealed class Holder : Layer
    {
        public Holder(Sequential body) => Body = Register("body", body);

        public Sequential Body { get; }

        public override Tensor Forward(Tensor x) => Body.Forward(x);
    }

    [Theory]
    [InlineData(float.NaN, null)]
    [InlineData(float.PositiveInfinity, null)]
    public async Task A_non_finite_loss_skips_the_step_and_leaves_every_parameter_bit_identical(float poison, float? clip)
    {
        using var model = new Mlp(new Init(Device, 1), new ImageShape(1, 4, 4), new MlpConfig([6]), 3);
        using var optimizer = new Sgd(model.NamedParameters(), 0.1f, momentum: 0.9f);
        using var trainer = new ClassifierTrainer(model, optimizer, new TrainingOptions { BatchSize = 4, ClipNorm = clip });
        var images = KernelCheck.Floats(3, 4 * 16);
        int[] labels = [0, 1, 2, 1];
        // One good step first, so the momentum buffers hold values that a broken update would change.
        var good = await trainer.StepAsync(images, labels, 4);
        Assert.False(good.Skipped);
        var weight = model.Layers[0].Weight;
        var values = weight.ToArray();
        values[5] = poison;
        weight.Load(values);
        var before = model.Parameters().Select(p => p.ToArray()).ToArray();
        var state = optimizer.State().Select(s => s.Buffer.Read()).ToArray();
        var m = await trainer.StepAsync(images, labels, 4);
        Assert.True(m.Skipped, m.ToString());
        Assert.False(float.IsFinite(m.Loss));
        var after = model.Parameters().Select(p => p.ToArray()).ToArray();
        for (int i = 0; i < before.Length; i++)
            Assert.Equal(before[i].Select(BitConverter.SingleToInt32Bits), after[i].Select(BitConverter.SingleToInt32Bits));
        var stateAfter = optimizer.State().Select(s => s.Buffer.Read()).ToArray();
        Assert.NotEmpty(state);
        for (int i = 0; i < state.Length; i++)
            Assert.Equal(state[i].Select(BitConverter.SingleToInt32Bits), stateAfter[i].Select(BitConverter.SingleToInt32Bits));
    }
}
