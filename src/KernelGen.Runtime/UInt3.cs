namespace KernelGen;

/// <summary>Three unsigned integers: the type of the thread-identity builtins (WGSL <c>vec3&lt;u32&gt;</c>).</summary>
public readonly record struct UInt3(uint X, uint Y, uint Z)
{
    public override string ToString() => $"({X}, {Y}, {Z})";
}
