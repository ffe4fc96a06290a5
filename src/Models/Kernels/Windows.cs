namespace KernelGen.Models.Kernels;

/// <summary>
/// Sliding-window arithmetic shared by the backward passes of convolution and pooling (a <c>[KernelHelpers]</c>
/// class, so each kernel gets it as a WGSL function): which output position's window puts kernel offset
/// <c>k</c> on input index <c>i</c>.
/// </summary>
[KernelHelpers]
public static class Windows
{
    /// <summary>Returned by <see cref="OutputAt"/> when no output window puts offset k on index i.</summary>
    public const uint None = uint.MaxValue;

    /// <summary>
    /// The output index o with o*stride - pad + k == i and o &lt; outSize, or <see cref="None"/>.
    /// </summary>
    public static uint OutputAt(uint i, uint pad, uint k, uint stride, uint outSize)
    {
        int t = (int)(i + pad) - (int)k;
        if (t < 0 || t % (int)stride != 0) return None;
        uint o = (uint)t / stride;
        return o < outSize ? o : None;
    }
}
