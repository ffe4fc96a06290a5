namespace KernelGen.Cpu;

/// <summary>
/// Runs a kernel that uses barriers: each invocation of a workgroup gets its own thread, so it can wait at
/// <c>Kernel.WorkgroupBarrier()</c> for the others, and the workgroups run one after another. Correct for every
/// kernel the generator accepts, and debuggable (a breakpoint stops one invocation while the others wait at the
/// next barrier), but each barrier costs a thread hand-off per invocation: barrier-free kernels take the fast path.
/// </summary>
internal static class BarrierLaunch
{
    public static void Run(KernelInfo kernel, UInt3 groups, long groupCount, Action invocation)
    {
        var size = kernel.WorkgroupSize;
        int participants = checked((int)(size.X * size.Y * size.Z));
        using var cancellation = new CancellationTokenSource();
        WorkgroupContext? context = null;
        using var barrier = new WorkgroupBarrier(participants, () => context!.Reset(), cancellation.Token);
        context = new WorkgroupContext(barrier);
        Exception? failure = null;

        void Participant(int local)
        {
            WorkgroupBarrier.Join(local);
            try
            {
                for (long g = 0; g < groupCount; g++)
                {
                    Invocation.Enter(g, groups, size, (uint)local, context);
                    Invocation.Invoke(kernel, invocation);
                    barrier.Wait(WorkgroupBarrier.Phase.EndOfWorkgroup);
                }
            }
            catch (OperationCanceledException) when (failure is not null)
            {
                // Another invocation failed first; its exception is the one reported.
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                cancellation.Cancel();
            }
        }

        var threads = Enumerable.Range(0, participants)
            .Select(i => new Thread(() => Participant(i), maxStackSize: 256 * 1024) { IsBackground = true, Name = $"{kernel.Name} local {i}" })
            .ToList();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        if (failure is KernelExecutionException) throw failure;
        if (failure is not null)
            throw new KernelExecutionException($"{kernel.Name} failed on the CPU backend: {failure.Message}", failure);
    }
}
