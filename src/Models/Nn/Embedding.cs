using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Nn;

/// <summary>A learned vector per token: table [vocab, width], N(0, 0.02²) as in GPT-2.</summary>
public sealed class Embedding : Module
{
    public Embedding(Init init, int vocab, int width)
    {
        Table = Register("weight", init.Parameter(new Shape(vocab, width), init.Normal(vocab * width, 0.02f), "weight"));
    }

    public Tensor Table { get; }

    public Tensor Forward(IntTensor ids) => Embedding(ids, Table, Path);
}

/// <summary>
/// Adds a position's vector to each token of [batch, time, width]: learned (a [time, width] parameter, GPT-2's way)
/// or the fixed sinusoids of "Attention Is All You Need" (no parameter).
/// </summary>
public sealed class PositionalEncoding : Layer
{
    public PositionalEncoding(Init init, int maxTime, int width, bool learned = true)
    {
        Learned = learned;
        Table = learned
            ? Register("weight", init.Parameter(new Shape(maxTime, width), init.Normal(maxTime * width, 0.02f), "weight"))
            : RegisterConstant(init.Parameter(new Shape(maxTime, width), Sinusoids(maxTime, width), "sinusoids", requiresGrad: false));
    }

    public bool Learned { get; }

    /// <summary>[maxTime, width].</summary>
    public Tensor Table { get; }

    public override Tensor Forward(Tensor x) => AddPositions(x, Table, Path);

    /// <summary>PE(t, 2i) = sin(t / 10000^(2i/d)), PE(t, 2i+1) = cos(t / 10000^(2i/d)).</summary>
    public static float[] Sinusoids(int time, int width)
    {
        var values = new float[time * width];
        for (int t = 0; t < time; t++)
            for (int i = 0; i < width; i++)
            {
                double angle = t / Math.Pow(10000, 2 * (i / 2) / (double)width);
                values[t * width + i] = (float)(i % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle));
            }
        return values;
    }
}
