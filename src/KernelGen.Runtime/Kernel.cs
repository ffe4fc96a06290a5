namespace KernelGen;

/// <summary>
/// Intrinsics available inside a <see cref="ComputeKernelAttribute"/> method. On WebGPU each maps to a WGSL builtin;
/// on the CPU backend each reads the identity of the invocation that the backend is running on this thread.
/// </summary>
public static class Kernel
{
    [ThreadStatic] private static InvocationIds current;

    /// <summary>The invocation's position in the whole launch (<c>global_invocation_id</c>).</summary>
    public static UInt3 GlobalId => current.Global;

    /// <summary>The invocation's position inside its workgroup (<c>local_invocation_id</c>).</summary>
    public static UInt3 LocalId => current.Local;

    /// <summary>The workgroup's position in the launch (<c>workgroup_id</c>).</summary>
    public static UInt3 WorkgroupId => current.Workgroup;

    /// <summary>How many workgroups the launch has along each axis (<c>num_workgroups</c>).</summary>
    public static UInt3 NumWorkgroups => current.Count;

    /// <summary>The invocation's linear index inside its workgroup (<c>local_invocation_index</c>).</summary>
    public static uint LocalIndex => current.LocalIndex;

    /// <summary>
    /// Waits until every invocation of the workgroup has reached this point, and makes their writes to workgroup
    /// memory visible (<c>workgroupBarrier()</c>). Call it from uniform control flow: every invocation must reach it.
    /// </summary>
    public static void WorkgroupBarrier() => Cpu.WorkgroupContext.Barrier();

    /// <summary>
    /// Like <see cref="WorkgroupBarrier"/> for writes to storage buffers (<c>storageBarrier()</c>).
    /// </summary>
    public static void StorageBarrier() => Cpu.WorkgroupContext.Barrier();

    /// <summary>
    /// Memory shared by the invocations of one workgroup (WGSL <c>var&lt;workgroup&gt;</c>), zeroed when the workgroup
    /// starts. Declare it at the top of the kernel with a constant length: <c>var tile = Kernel.WorkgroupArray&lt;float&gt;(256);</c>
    /// </summary>
    public static WorkgroupArray<T> WorkgroupArray<T>(int length) where T : unmanaged => Cpu.WorkgroupContext.Array<T>(length);

    internal static InvocationIds Current
    {
        get => current;
        set => current = value;
    }

    /// <summary>This thread's ids, by reference: the CPU backend updates only what changes between invocations.</summary>
    internal static ref InvocationIds CurrentRef => ref current;
}

/// <summary>What the CPU backend tells a kernel about the invocation it is running.</summary>
internal struct InvocationIds
{
    public UInt3 Global;
    public UInt3 Local;
    public UInt3 Workgroup;
    public UInt3 Count;
    public uint LocalIndex;
}
