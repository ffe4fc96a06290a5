namespace KernelGen.Cpu;

/// <summary>
/// The barrier of a workgroup whose invocations run on their own threads. Besides the kernel's own barriers, the
/// invocations meet once at the end of each workgroup (where the shared arrays are reset). If invocations meet at
/// different kinds of barrier (one returned early while the others wait in the kernel), WGSL's rule that barriers
/// are in uniform control flow was broken: that is reported instead of deadlocking.
/// </summary>
internal sealed class WorkgroupBarrier : IDisposable
{
    public enum Phase
    {
        Kernel,
        EndOfWorkgroup,
    }

    private readonly Barrier barrier;
    private readonly Phase[] phases;
    private readonly CancellationToken cancellation;
    private volatile string? mismatch;

    [ThreadStatic] private static int participant;

    public WorkgroupBarrier(int participants, Action onEndOfWorkgroup, CancellationToken cancellation)
    {
        phases = new Phase[participants];
        this.cancellation = cancellation;
        barrier = new Barrier(participants, _ =>
        {
            if (phases.Distinct().Count() > 1)
            {
                int early = System.Array.IndexOf(phases, Phase.EndOfWorkgroup);
                mismatch = $"local invocation {early} finished while others waited at Kernel.WorkgroupBarrier. " +
                           "Every invocation of a workgroup must reach the same barriers: do not return before one.";
            }
            else if (phases[0] == Phase.EndOfWorkgroup)
            {
                onEndOfWorkgroup();
            }
        });
    }

    /// <summary>Tells the barrier which participant the current thread is.</summary>
    public static void Join(int index) => participant = index;

    public void Wait(Phase phase)
    {
        phases[participant] = phase;
        barrier.SignalAndWait(cancellation);
        if (mismatch is { } problem) throw new InvalidOperationException(problem);
    }

    public void Dispose() => barrier.Dispose();
}
