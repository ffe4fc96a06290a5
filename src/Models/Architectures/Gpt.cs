using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Architectures;

/// <summary>The GPT's sizes (nanoGPT's names: block_size is <see cref="Context"/>, n_embd is <see cref="Width"/>).</summary>
public sealed record GptConfig(int Vocabulary, int Context = 64, int Layers = 4, int Heads = 4, int Width = 128, float Dropout = 0f);

/// <summary>
/// A decoder-only Transformer over characters (GPT; nanoGPT's model.py): token and position embeddings, causal
/// Transformer blocks (each position sees only itself and the past), a final layer norm and a linear map to the
/// next character's scores. Trained to predict every next character of its context at once.
/// </summary>
public sealed partial class Gpt : Module
{
    private readonly TransformerBlock[] blocks;

    public Gpt(Init init, GptConfig config)
    {
        Config = config;
        TokenEmbedding = Register("token_embedding", new Embedding(init, config.Vocabulary, config.Width));
        Positions = Register("positions", new PositionalEncoding(init, config.Context, config.Width));
        blocks = new TransformerBlock[config.Layers];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = Register($"blocks.{i}", new TransformerBlock(init, config.Width, config.Heads, causal: true, dropout: config.Dropout));
        Norm = Register("norm", new LayerNorm(init, config.Width));
        Head = Register("head", new Linear(init, config.Width, config.Vocabulary, bias: false));
    }

    public GptConfig Config { get; }

    public Embedding TokenEmbedding { get; }

    public PositionalEncoding Positions { get; }

    public IReadOnlyList<TransformerBlock> Blocks => blocks;

    public LayerNorm Norm { get; }

    public Linear Head { get; }

    /// <summary>Token ids [batch, time] (time &lt;= context) to next-token logits [batch, time, vocabulary].</summary>
    public Tensor Forward(IntTensor ids)
    {
        if (ids.Shape.Rank != 2 || ids.Shape[1] > Config.Context)
            throw new ShapeException(nameof(Gpt), null, $"expected token ids [batch, time <= {Config.Context}], got {ids.Shape}");
        var x = Positions.Forward(TokenEmbedding.Forward(ids));
        foreach (var block in blocks) x = block.Forward(x);
        return Head.Forward(Norm.Forward(x));
    }

    /// <summary>The attention weights of every layer for ids [1, time]: each [heads, time, time] (figures; no gradient).</summary>
    public IReadOnlyList<Tensor> AttentionMaps(IntTensor ids)
    {
        var maps = new List<Tensor>();
        var x = Positions.Forward(TokenEmbedding.Forward(ids));
        foreach (var block in blocks)
        {
            maps.Add(block.Attention.Weights(block.Norm1.Forward(x)));
            x = block.Forward(x);
        }
        return maps;
    }
}
