namespace KernelGen;

/// <summary>
/// Marks a static method of a static partial class as a compute kernel. At build time the KernelGen generator
/// translates it into a WGSL compute shader and a typed dispatch stub named <c>&lt;Method&gt;Kernel</c>, nested in
/// the same class. The method itself stays ordinary C#: the CPU backend runs it once per invocation.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ComputeKernelAttribute : Attribute
{
    /// <param name="x">Invocations per workgroup along X.</param>
    /// <param name="y">Invocations per workgroup along Y.</param>
    /// <param name="z">Invocations per workgroup along Z.</param>
    public ComputeKernelAttribute(int x, int y = 1, int z = 1)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public int X { get; }
    public int Y { get; }
    public int Z { get; }
}
