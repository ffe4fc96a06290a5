namespace KernelGen.Cpu;

/// <summary>
/// The identity of one workgroup, for the phased CPU code the generator writes for kernels with barriers: it runs
/// the whole workgroup in one call and asks for each invocation's ids by local index.
/// </summary>
public readonly struct WorkgroupIds
{
    internal WorkgroupIds(UInt3 workgroupId, UInt3 numWorkgroups, UInt3 size)
    {
        WorkgroupId = workgroupId;
        NumWorkgroups = numWorkgroups;
        Size = size;
    }

    public UInt3 WorkgroupId { get; }

    public UInt3 NumWorkgroups { get; }

    public UInt3 Size { get; }

    public UInt3 LocalId(int localIndex) =>
        new((uint)localIndex % Size.X, (uint)localIndex / Size.X % Size.Y, (uint)localIndex / (Size.X * Size.Y));

    public UInt3 GlobalId(int localIndex)
    {
        var local = LocalId(localIndex);
        return new(WorkgroupId.X * Size.X + local.X, WorkgroupId.Y * Size.Y + local.Y, WorkgroupId.Z * Size.Z + local.Z);
    }
}
