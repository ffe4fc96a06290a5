using KernelGen.Models.Nn;

namespace KernelGen.Models.Architectures;

/// <summary>One vision architecture of the article, with the configuration its full run uses.</summary>
public sealed record ArchitectureEntry(string Name, string Description, Func<Init, ImageShape, int, ImageClassifier> Create);

/// <summary>The vision architectures by name (the CLI's <c>train &lt;architecture&gt;</c>); the GPT is trained on text.</summary>
public static class Catalog
{
    public static readonly IReadOnlyList<ArchitectureEntry> Vision =
    [
        new("perceptron", "one affine map from pixels to classes", (i, s, c) => new Perceptron(i, s, c)),
        new("mlp", "784-128-10 with ReLU", (i, s, c) => new Mlp(i, s, MlpConfig.Default, c)),
        new("mlp-linear", "784-128-10 without the ReLU: two affine maps, which compose into one", (i, s, c) => new Mlp(i, s, MlpConfig.Default with { Linear = true }, c)),
        new("mlp-deep", "784-512-256-128-10 with ReLU", (i, s, c) => new Mlp(i, s, new MlpConfig([512, 256, 128]), c)),
        new("cnn", "conv5-pool-conv5-pool-fc (16, 32 channels)", (i, s, c) => new Cnn(i, s, CnnConfig.Default, c)),
        new("cnn-nonlocal", "the CNN with a non-local (self-attention) block on its 7x7 map", (i, s, c) => new Cnn(i, s, CnnConfig.Default with { NonLocal = true }, c)),
        new("cnn-gap", "the CNN's two convolutions, a 1x1 convolution with ReLU, the average over positions and one linear map (a local model)",
            (i, s, c) => new Cnn(i, s, CnnConfig.Default with { GlobalPool = true }, c)),
        new("cnn-gap-nonlocal", "cnn-gap with a non-local block before the 1x1 convolution: positions see each other",
            (i, s, c) => new Cnn(i, s, CnnConfig.Default with { GlobalPool = true, NonLocal = true }, c)),
        new("cnn-100k", "the CNN with a 56-wide hidden layer: about the MLP's 100k parameters", (i, s, c) => new Cnn(i, s, CnnConfig.Default with { Hidden = 56 }, c)),
        new("resnet20", "20 layers of 3x3 convolutions with residual connections", (i, s, c) => new DeepCnn(i, s, new DeepCnnConfig(3, 16, Residual: true), c)),
        new("plain20", "the same 20 layers without residual connections", (i, s, c) => new DeepCnn(i, s, new DeepCnnConfig(3, 16, Residual: false), c)),
        new("vit", "Vision Transformer: 4x4 patches, 4 layers, 4 heads, width 64", (i, s, c) => new VisionTransformer(i, s, VitConfig.Default, c)),
        new("vit-100k", "the ViT with 3 layers: about the MLP's 100k parameters", (i, s, c) => new VisionTransformer(i, s, VitConfig.Default with { Layers = 3 }, c)),
        new("mixer", "MLP-Mixer: 4x4 patches, 4 layers, width 64", (i, s, c) => new MlpMixer(i, s, MixerConfig.Default, c)),
    ];

    public static ArchitectureEntry? Find(string name) =>
        Vision.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
}
