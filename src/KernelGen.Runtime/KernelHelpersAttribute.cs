namespace KernelGen;

/// <summary>
/// Marks a static class whose static methods kernels of other classes may call as helpers (each becomes a WGSL
/// function in the modules of the kernels that reach it). Methods of the kernel's own class need no attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class KernelHelpersAttribute : Attribute
{
}
