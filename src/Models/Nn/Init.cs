using KernelGen.Models.Tensors;

namespace KernelGen.Models.Nn;

/// <summary>How a layer's weights start.</summary>
public enum InitScheme
{
    /// <summary>Glorot and Bengio (2010), uniform: U(±sqrt(6 / (fanIn + fanOut))); keeps the variance of tanh/linear layers.</summary>
    XavierUniform,

    /// <summary>Glorot, normal: N(0, 2 / (fanIn + fanOut)).</summary>
    XavierNormal,

    /// <summary>He et al. (2015), normal: N(0, 2 / fanIn); keeps the variance through ReLUs.</summary>
    KaimingNormal,

    /// <summary>He, uniform: U(±sqrt(6 / fanIn)).</summary>
    KaimingUniform,

    /// <summary>All zeros (the last layer of a residual branch, so each block starts as the identity).</summary>
    Zeros,
}

/// <summary>
/// Where a model's parameters come from: the device they live on and one seeded random stream, so the same seed
/// gives the same initial model on every backend. Modules take it as their first constructor argument.
/// </summary>
public sealed class Init
{
    private readonly Random random;

    public Init(ComputeDevice device, int seed)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device = device;
        Seed = seed;
        random = new Random(seed);
    }

    public ComputeDevice Device { get; }

    public int Seed { get; }

    /// <summary>Values for a weight of <paramref name="count"/> elements with the given fans.</summary>
    public float[] Weights(InitScheme scheme, int count, int fanIn, int fanOut)
    {
        var values = new float[count];
        switch (scheme)
        {
            case InitScheme.XavierUniform: Uniform(values, MathF.Sqrt(6f / (fanIn + fanOut))); break;
            case InitScheme.XavierNormal: Normal(values, MathF.Sqrt(2f / (fanIn + fanOut))); break;
            case InitScheme.KaimingNormal: Normal(values, MathF.Sqrt(2f / fanIn)); break;
            case InitScheme.KaimingUniform: Uniform(values, MathF.Sqrt(6f / fanIn)); break;
            case InitScheme.Zeros: break;
            default: throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null);
        }
        return values;
    }

    /// <summary>N(0, std²) values (embeddings, positional tables: GPT-2 uses 0.02).</summary>
    public float[] Normal(int count, float std)
    {
        var values = new float[count];
        Normal(values, std);
        return values;
    }

    public static float[] Constant(int count, float value)
    {
        var values = new float[count];
        Array.Fill(values, value);
        return values;
    }

    /// <summary>A new parameter on this device.</summary>
    public Tensor Parameter(Shape shape, float[] values, string name, bool requiresGrad = true) =>
        Tensor.Parameter(Device, shape, values, name, requiresGrad);

    private void Uniform(float[] values, float bound)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
    }

    private void Normal(float[] values, float std)
    {
        // Box-Muller: two uniforms give two independent standard normals.
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = (float)(r * Math.Cos(2 * Math.PI * u2) * std);
            if (i + 1 < values.Length) values[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2) * std);
        }
    }
}
