using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Architectures;

/// <summary>The ViT's sizes: 4x4 patches of a 28x28 image give 49 tokens of <see cref="Width"/> features.</summary>
public sealed record VitConfig(int Patch = 4, int Width = 64, int Layers = 4, int Heads = 4, int MlpRatio = 2, float Dropout = 0f)
{
    public static readonly VitConfig Default = new();
}

/// <summary>
/// The Vision Transformer (Dosovitskiy et al. 2021): cut the image into patches, embed each linearly (a convolution
/// whose stride is its size), add learned position vectors, and run Transformer blocks over the sequence of patches;
/// every patch may attend to every other from the first layer on. The class comes from the mean of the final tokens
/// (global average pooling, which works as well as ViT's extra class token at this size and needs no concatenation).
/// </summary>
public sealed class VisionTransformer : ImageClassifier
{
    private readonly TransformerBlock[] blocks;

    public VisionTransformer(Init init, ImageShape input, VitConfig config, int classes = 10) : base(input, classes)
    {
        if (input.Height % config.Patch != 0 || input.Width % config.Patch != 0)
            throw new ArgumentException($"{input.Height}x{input.Width} images do not divide into {config.Patch}x{config.Patch} patches.", nameof(config));
        Config = config;
        Tokens = input.Height / config.Patch * (input.Width / config.Patch);
        PatchEmbedding = Register("patch_embedding", new Conv2d(init, input.Channels, config.Width, config.Patch, config.Patch,
            scheme: InitScheme.XavierUniform));
        Positions = Register("positions", new PositionalEncoding(init, Tokens, config.Width));
        blocks = new TransformerBlock[config.Layers];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = Register($"blocks.{i}", new TransformerBlock(init, config.Width, config.Heads, causal: false, config.MlpRatio, config.Dropout));
        Norm = Register("norm", new LayerNorm(init, config.Width));
        Classifier = Register("classifier", new Linear(init, config.Width, classes));
    }

    public VitConfig Config { get; }

    /// <summary>Patches per image (the sequence length).</summary>
    public int Tokens { get; }

    public Conv2d PatchEmbedding { get; }

    public PositionalEncoding Positions { get; }

    public IReadOnlyList<TransformerBlock> Blocks => blocks;

    public LayerNorm Norm { get; }

    public Linear Classifier { get; }

    public override Tensor Forward(Tensor images)
    {
        var x = Embed(images);
        foreach (var block in blocks) x = block.Forward(x);
        return Classifier.Forward(MeanOverTime(Norm.Forward(x), Path));
    }

    /// <summary>The attention weights of every layer, each [batch * heads, tokens, tokens] (figures; no gradient).</summary>
    public IReadOnlyList<Tensor> AttentionMaps(Tensor images)
    {
        var maps = new List<Tensor>();
        var x = Embed(images);
        foreach (var block in blocks)
        {
            maps.Add(block.Attention.Weights(block.Norm1.Forward(x)));
            x = block.Forward(x);
        }
        return maps;
    }

    private Tensor Embed(Tensor images)
    {
        CheckInput(images);
        return Positions.Forward(ChannelsLast(PatchEmbedding.Forward(images), Path));   // [batch, tokens, width]
    }
}
