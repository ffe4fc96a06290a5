namespace KernelGen.Cpu;

/// <summary>
/// The identity of one workgroup, for the work-item-loop code the generator writes for the CPU backend
/// (<c>CpuWorkgroup</c>): it runs the whole workgroup in one call and counts each invocation's ids itself.
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

    /// <summary>
    /// The global id of the invocation running on this thread, by reference: generated workgroup code writes each
    /// invocation's id here before running it, so an out-of-bounds error can name the invocation.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static ref UInt3 CurrentGlobalId => ref Kernel.CurrentRef.Global;

    public UInt3 LocalId(int localIndex) =>
        new((uint)localIndex % Size.X, (uint)localIndex / Size.X % Size.Y, (uint)localIndex / (Size.X * Size.Y));

    public UInt3 GlobalId(int localIndex)
    {
        var local = LocalId(localIndex);
        return new(WorkgroupId.X * Size.X + local.X, WorkgroupId.Y * Size.Y + local.Y, WorkgroupId.Z * Size.Z + local.Z);
    }
}
