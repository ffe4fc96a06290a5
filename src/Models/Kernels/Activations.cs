namespace KernelGen.Models.Kernels;

/// <summary>
/// The activation functions shared by several kernel classes, as plain C#. A kernel can only call helpers of its own
/// class (the generator turns those into WGSL functions), so each kernel class has small forwarding helpers; the
/// formulas live here once and the host-side code (references, chooser) uses them too.
/// </summary>
public static class Activation
{
    /// <summary>No activation: the identity.</summary>
    public const uint None = 0;

    /// <summary>max(x, 0).</summary>
    public const uint Relu = 1;

    /// <summary>GELU with the tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).</summary>
    public const uint Gelu = 2;

    /// <summary>sqrt(2/pi), the constant of the tanh approximation of GELU.</summary>
    public const float GeluScale = 0.7978845608f;

    /// <summary>The cubic coefficient of the tanh approximation of GELU.</summary>
    public const float GeluCubic = 0.044715f;

    /// <summary>
    /// tanh evaluated at an argument clamped to [-15, 15]: tanh(15) rounds to 1 in float, and the clamp keeps a GPU's
    /// exp-based tanh from computing inf/inf = NaN for large arguments.
    /// </summary>
    public const float TanhClamp = 15f;
}
