namespace KernelGen.Cpu;

/// <summary>
/// What the invocations of one workgroup share on the CPU backend: its workgroup arrays and, for kernels with
/// barriers, the barrier they meet at. The invocation running on a thread finds it through a thread-static.
/// </summary>
internal sealed class WorkgroupContext
{
    [ThreadStatic] private static WorkgroupContext? current;
    [ThreadStatic] private static int arrayCursor;

    private readonly List<Array> arrays = [];
    private readonly WorkgroupBarrier? barrier;

    public WorkgroupContext(WorkgroupBarrier? barrier = null) => this.barrier = barrier;

    /// <summary>Makes this the context of the invocation about to run on this thread.</summary>
    public static void Enter(WorkgroupContext? context)
    {
        current = context;
        arrayCursor = 0;
    }

    /// <summary>Starts the next invocation of the workgroup already entered on this thread.</summary>
    public static void BeginInvocation() => arrayCursor = 0;

    /// <summary>
    /// The workgroup array of the k-th <c>Kernel.WorkgroupArray</c> call of this invocation: every invocation makes
    /// the same calls in the same order (they are declared at the top of the kernel), so call k names array k.
    /// </summary>
    public static WorkgroupArray<T> Array<T>(int length) where T : unmanaged
    {
        var context = current;
        if (context is null) return new WorkgroupArray<T>(new T[length]); // the method called directly: one invocation
        int slot = arrayCursor++;
        lock (context.arrays)
        {
            if (slot == context.arrays.Count) context.arrays.Add(new T[length]);
            return context.arrays[slot] is T[] array && array.Length == length
                ? new WorkgroupArray<T>(array)
                : throw new InvalidOperationException(
                    $"Workgroup array #{slot} was declared as {typeof(T).Name}[{length}] by one invocation and differently by another; " +
                    "declare workgroup arrays at the top of the kernel, outside any branch.");
        }
    }

    public static void Barrier()
    {
        var context = current;
        if (context is null) return; // the method called directly: a single invocation has nobody to wait for
        if (context.barrier is null)
            throw new InvalidOperationException(
                "Kernel.WorkgroupBarrier was reached in a launch that the generator did not mark as using barriers " +
                "(a barrier called through a non-kernel method?). Call it from the kernel or one of its helpers.");
        context.barrier.Wait(WorkgroupBarrier.Phase.Kernel);
    }

    /// <summary>Zeroes the workgroup arrays, as WGSL does when a workgroup starts.</summary>
    public void Reset()
    {
        foreach (var array in arrays) System.Array.Clear(array);
    }
}
