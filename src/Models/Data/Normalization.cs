namespace KernelGen.Models.Data;

/// <summary>
/// How a pixel byte becomes a model input: scaled to [0, 1], then standardised as (x - Mean) / Std. Standardised
/// inputs (mean near 0, deviation near 1) let the usual weight initialisations and learning rates work unchanged.
/// </summary>
public readonly record struct Normalization(float Mean, float Std)
{
    /// <summary>MNIST's training-set mean and standard deviation (of pixels scaled to [0, 1]): the usual default.</summary>
    public static readonly Normalization Mnist = new(0.1307f, 0.3081f);

    /// <summary>Fashion-MNIST's training-set mean and standard deviation (of pixels scaled to [0, 1]).</summary>
    public static readonly Normalization FashionMnist = new(0.2860f, 0.3530f);

    /// <summary>Only the scaling to [0, 1].</summary>
    public static readonly Normalization UnitRange = new(0f, 1f);

    /// <summary>The value of pixel byte <paramref name="pixel"/>.</summary>
    public float Apply(byte pixel) => (pixel / 255f - Mean) / Std;

    /// <summary>
    /// The value of every byte 0-255, so that converting 47 million pixels is one table look-up each; the table is
    /// computed with <see cref="Apply"/>, so both give identical floats.
    /// </summary>
    internal float[] Table()
    {
        if (!(Std > 0f) || !float.IsFinite(Mean))
            throw new ArgumentOutOfRangeException(nameof(Std), $"Normalization needs a finite mean and a positive standard deviation, not mean {Mean}, std {Std}.");
        var table = new float[256];
        for (int b = 0; b < table.Length; b++) table[b] = Apply((byte)b);
        return table;
    }
}
