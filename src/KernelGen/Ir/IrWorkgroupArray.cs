namespace KernelGen.Ir
{
    /// <summary>A module-scope <c>var&lt;workgroup&gt; name: array&lt;T, N&gt;;</c>.</summary>
    internal sealed record IrWorkgroupArray(string Name, IrType ElementType, int Length);
}
