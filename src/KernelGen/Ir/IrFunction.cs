using KernelGen.Model;

namespace KernelGen.Ir
{
    internal sealed record IrFunctionParameter(string Name, IrType Type, bool Reassigned);

    /// <summary>
    /// A helper: another static method of the kernel's class that the kernel calls, emitted once per module as a
    /// WGSL <c>fn</c>. WGSL parameters are immutable, so a parameter the C# body assigns is copied into a <c>var</c>.
    /// </summary>
    internal sealed record IrFunction(string Name, EquatableArray<IrFunctionParameter> Parameters, IrType ReturnType, IrBlock Body);
}
