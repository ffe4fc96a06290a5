namespace KernelGen;

/// <summary>
/// Makes an int or uint kernel parameter a compile-time constant: the generator emits one WGSL module per value (so
/// the value can size local and workgroup arrays and unroll well), and the stub's <c>Dispatch</c> picks the module
/// for the value it is given, refusing values that were not declared.
/// <code>
/// [ComputeKernel(64)]
/// public static void Blur(ReadOnlyBuffer&lt;float&gt; x, ReadWriteBuffer&lt;float&gt; y, [Specialize(3, 5, 7)] int taps, uint n)
/// </code>
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class SpecializeAttribute : Attribute
{
    public SpecializeAttribute(params int[] values) => Values = values;

    public IReadOnlyList<int> Values { get; }
}
