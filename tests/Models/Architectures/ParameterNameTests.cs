using KernelGen.Models.Architectures;
using KernelGen.Models.Nn;
using KernelGen.Models.Tests.Kernels;
using Xunit;

namespace KernelGen.Models.Tests.Architectures;

/// <summary>Parameter names are the checkpoints' tensor names: stable, unique, dotted like PyTorch's.</summary>
public class ParameterNameTests
{
    private static readonly ComputeDevice Device = KernelCheck.CpuOracle;

    private static Module Make(string name) => name == "gpt"
        ? new Gpt(new Init(Device, 1), new GptConfig(Vocabulary: 11, Context: 8, Layers: 2, Heads: 2, Width: 8))
        : ForwardReferenceTests.Make(name, Device);

    public static readonly TheoryData<string> All =
        ["perceptron", "mlp", "cnn", "cnn+nonlocal", "cnn-gap", "cnn-gap+nonlocal", "deepcnn-residual", "deepcnn-plain", "deepcnn-wide", "vit", "mixer", "gpt"];

    [Theory]
    [MemberData(nameof(All))]
    public void Names_are_unique_stable_and_count_the_parameters(string model)
    {
        using var a = Make(model);
        using var b = Make(model);
        var names = a.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Equal(names, b.NamedParameters().Select(p => p.Name));   // same for a second instance
        Assert.Equal(names, a.NamedParameters().Select(p => p.Name));   // and a second enumeration
        foreach (var (name, tensor) in a.NamedParameters())
        {
            Assert.Matches("^[a-z_0-9]+(\\.[a-z_0-9]+)*\\.(weight|bias)$", name);
            Assert.Equal(name, tensor.Name);
        }
        Assert.Equal(a.Parameters().Sum(p => (long)p.Shape.Count), a.ParameterCount);
        Assert.True(a.ParameterCount > 0);
    }

    [Fact]
    public void Mlp_and_perceptron_names_and_counts()
    {
        using var mlp = new Mlp(new Init(Device, 1), ImageShape.Mnist, MlpConfig.Default);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], mlp.NamedParameters().Select(p => p.Name));
        Assert.Equal(784 * 128 + 128 + 128 * 10 + 10, mlp.ParameterCount);
        using var perceptron = new Perceptron(new Init(Device, 1), ImageShape.Mnist);
        Assert.Equal(["classifier.weight", "classifier.bias"], perceptron.NamedParameters().Select(p => p.Name));
        Assert.Equal(7850, perceptron.ParameterCount);
    }

    [Fact]
    public void Cnn_names_and_count()
    {
        using var cnn = new Cnn(new Init(Device, 1), ImageShape.Mnist, CnnConfig.Default with { NonLocal = true });
        Assert.Equal(
        [
            "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
            "nonlocal.theta.weight", "nonlocal.theta.bias", "nonlocal.phi.weight", "nonlocal.phi.bias",
            "nonlocal.g.weight", "nonlocal.g.bias", "nonlocal.z.weight", "nonlocal.z.bias",
            "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
        ], cnn.NamedParameters().Select(p => p.Name));
        long expected = 16 * 25 + 16 + 32 * 16 * 25 + 32 + 3 * (32 * 16 + 16) + 16 * 32 + 32 + 32 * 49 * 128 + 128 + 128 * 10 + 10;
        Assert.Equal(expected, cnn.ParameterCount);
    }

    [Fact]
    public void DeepCnn_names()
    {
        using var deep = new DeepCnn(new Init(Device, 1), new ImageShape(3, 32, 32), new DeepCnnConfig(2, 4));
        var names = deep.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal("stem.weight", names[0]);
        Assert.Contains("stage1.1.conv2.weight", names);
        Assert.Contains("stage2.0.shortcut.weight", names);
        Assert.DoesNotContain("stage2.1.shortcut.weight", names);
        Assert.DoesNotContain("stage1.0.shortcut.weight", names);
        Assert.Equal("classifier.bias", names[^1]);
        Assert.Equal(14, deep.Config.Depth);
        using var plain = new DeepCnn(new Init(Device, 1), new ImageShape(3, 32, 32), new DeepCnnConfig(2, 4, Residual: false));
        Assert.DoesNotContain(plain.NamedParameters(), p => p.Name.Contains("shortcut"));
    }

    [Fact]
    public void Gpt_names_and_count()
    {
        using var gpt = (Gpt)Make("gpt");
        var names = gpt.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal("token_embedding.weight", names[0]);
        Assert.Equal("positions.weight", names[1]);
        string[] block =
        [
            "norm1.weight", "norm1.bias",
            "attention.query.weight", "attention.query.bias", "attention.key.weight", "attention.key.bias",
            "attention.value.weight", "attention.value.bias", "attention.output.weight", "attention.output.bias",
            "norm2.weight", "norm2.bias", "mlp.up.weight", "mlp.up.bias", "mlp.down.weight", "mlp.down.bias",
        ];
        Assert.Equal(block.Select(n => "blocks.0." + n).Concat(block.Select(n => "blocks.1." + n)), names[2..^3]);
        Assert.Equal(["norm.weight", "norm.bias", "head.weight"], names[^3..]);
        int w = 8, perBlock = 4 * w + 4 * (w * w + w) + (w * 4 * w + 4 * w) + (4 * w * w + w);
        Assert.Equal(11 * w + 8 * w + 2 * perBlock + 2 * w + 11 * w, gpt.ParameterCount);
    }

    [Fact]
    public void Vit_and_mixer_names()
    {
        using var vit = ForwardReferenceTests.Make("vit", Device);
        var names = vit.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(["patch_embedding.weight", "patch_embedding.bias", "positions.weight"], names[..3]);
        Assert.Contains("blocks.0.attention.query.weight", names);
        Assert.Equal(["norm.weight", "norm.bias", "classifier.weight", "classifier.bias"], names[^4..]);
        using var mixer = ForwardReferenceTests.Make("mixer", Device);
        var mixerNames = mixer.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Contains("blocks.0.token_mixing.up.weight", mixerNames);
        Assert.Contains("blocks.0.channel_mixing.down.bias", mixerNames);
    }
}
