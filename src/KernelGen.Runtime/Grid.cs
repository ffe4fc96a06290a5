namespace KernelGen;

/// <summary>
/// The size of a launch, in invocations (not workgroups) along X, Y and Z. The backend rounds each axis up to whole
/// workgroups, so kernels guard their index (<c>if (i &lt; n)</c>) exactly as in WGSL.
/// </summary>
public readonly record struct Grid(uint X, uint Y = 1, uint Z = 1)
{
    public static implicit operator Grid(uint x) => new(x);

    public static implicit operator Grid(int x) =>
        x >= 0 ? new((uint)x) : throw new ArgumentOutOfRangeException(nameof(x), x, "A launch size cannot be negative.");

    public static implicit operator Grid((int X, int Y) size) => new(Checked(size.X), Checked(size.Y));

    public static implicit operator Grid((int X, int Y, int Z) size) => new(Checked(size.X), Checked(size.Y), Checked(size.Z));

    /// <summary>Workgroups needed to cover this grid with the given workgroup size (rounded up per axis).</summary>
    public UInt3 WorkgroupsFor(UInt3 workgroupSize) => new(
        DivideRoundingUp(X, workgroupSize.X), DivideRoundingUp(Y, workgroupSize.Y), DivideRoundingUp(Z, workgroupSize.Z));

    public override string ToString() => $"({X}, {Y}, {Z})";

    private static uint DivideRoundingUp(uint n, uint d) => (uint)(((ulong)n + d - 1) / d);

    private static uint Checked(int v) =>
        v >= 0 ? (uint)v : throw new ArgumentOutOfRangeException(nameof(v), v, "A launch size cannot be negative.");
}
