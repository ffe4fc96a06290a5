namespace KernelGen.Models.Kernels;

/// <summary>
/// Non-finite tests at bit level, for kernels (a <c>[KernelHelpers]</c> class): <c>float.IsNaN</c> has no WGSL form
/// (KG0004) and drivers may fold <c>x != x</c> to false, while a bit test means the same on every backend.
/// </summary>
[KernelHelpers]
public static class FloatBits
{
    /// <summary>NaN, +inf or -inf: the exponent bits all ones.</summary>
    public static bool IsNonFinite(float x) => (BitConverter.SingleToInt32Bits(x) & 0x7f800000) == 0x7f800000;

    /// <summary>NaN: the exponent bits all ones and a mantissa bit set.</summary>
    public static bool IsNaN(float x) => (BitConverter.SingleToInt32Bits(x) & 0x7fffffff) > 0x7f800000;
}
