namespace KernelGen.Models.Kernels;

/// <summary>
/// The activation functions and their derivatives, shared by every kernel class that applies one (the matmul
/// epilogue, the elementwise kernels): a <c>[KernelHelpers]</c> class, so each kernel calling <see cref="Apply"/> gets
/// it as a WGSL function, and the CPU backend runs this C#. The kinds are uint constants because kernels take
/// scalars, not enums.
/// </summary>
[KernelHelpers]
public static class Activation
{
    /// <summary>No activation: the identity.</summary>
    public const uint None = 0;

    /// <summary>max(x, 0).</summary>
    public const uint Relu = 1;

    /// <summary>GELU with the tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).</summary>
    public const uint Gelu = 2;

    /// <summary>tanh(x).</summary>
    public const uint Tanh = 3;

    /// <summary>The logistic sigmoid 1 / (1 + exp(-x)).</summary>
    public const uint Sigmoid = 4;

    /// <summary>sqrt(2/pi), the constant of the tanh approximation of GELU.</summary>
    public const float GeluScale = 0.7978845608f;

    /// <summary>The cubic coefficient of the tanh approximation of GELU.</summary>
    public const float GeluCubic = 0.044715f;

    /// <summary>
    /// tanh is evaluated at an argument clamped to [-15, 15]: tanh(15) rounds to 1 in float, and the clamp keeps a
    /// GPU's exp-based tanh from computing inf/inf = NaN for large arguments.
    /// </summary>
    public const float TanhClamp = 15f;

    /// <summary>The activation of kind <paramref name="kind"/> at x.</summary>
    public static float Apply(float x, uint kind)
    {
        if (kind == Relu) return MathF.Max(x, 0f);
        if (kind == Gelu) return 0.5f * x * (1f + ClampedTanh(GeluInner(x)));
        if (kind == Tanh) return ClampedTanh(x);
        if (kind == Sigmoid) return 1f / (1f + MathF.Exp(-MathF.Max(x, -80f)));
        return x;
    }

    /// <summary>Its derivative at x.</summary>
    public static float Derivative(float x, uint kind)
    {
        if (kind == Relu) return x > 0f ? 1f : 0f;
        if (kind == Gelu)
        {
            // Past |x| = 10 the curve is x or 0 to float precision (and x*x would overflow for huge x).
            if (MathF.Abs(x) > 10f) return x > 0f ? 1f : 0f;
            float t = ClampedTanh(GeluInner(x));
            float inner = GeluScale * (1f + 3f * GeluCubic * x * x);
            return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * inner;
        }
        if (kind == Tanh)
        {
            float t = ClampedTanh(x);
            return 1f - t * t;
        }
        if (kind == Sigmoid)
        {
            float s = 1f / (1f + MathF.Exp(-MathF.Max(x, -80f)));
            return s * (1f - s);
        }
        return 1f;
    }

    /// <summary>
    /// The derivative from the activation's output y = f(x), for the kinds where it is a function of y: ReLU (1 where
    /// y &gt; 0), tanh (1 - y^2), sigmoid (y (1 - y)), the identity (1). GELU is not: use <see cref="Derivative"/> on
    /// its input. For the kernels' own f these equal <see cref="Derivative"/> at x bit for bit (the same float ops).
    /// </summary>
    public static float DerivativeFromOutput(float y, uint kind)
    {
        if (kind == Relu) return y > 0f ? 1f : 0f;
        if (kind == Tanh) return 1f - y * y;
        if (kind == Sigmoid) return y * (1f - y);
        return 1f;
    }

    private static float GeluInner(float x) => GeluScale * (x + GeluCubic * x * x * x);

    private static float ClampedTanh(float x) => MathF.Tanh(Math.Clamp(x, -TanhClamp, TanhClamp));
}
