namespace KernelGen.Cpu;

/// <summary>Sets up the identity of one invocation on the current thread, and runs it with a useful error.</summary>
internal static class Invocation
{
    public static void Enter(long linearGroup, UInt3 groups, UInt3 size, uint localIndex, WorkgroupContext? context)
    {
        var group = new UInt3(
            (uint)(linearGroup % groups.X),
            (uint)(linearGroup / groups.X % groups.Y),
            (uint)(linearGroup / ((long)groups.X * groups.Y)));
        var local = new UInt3(localIndex % size.X, localIndex / size.X % size.Y, localIndex / (size.X * size.Y));
        Kernel.Current = new InvocationIds
        {
            Workgroup = group,
            Count = groups,
            Local = local,
            LocalIndex = localIndex,
            Global = new UInt3(group.X * size.X + local.X, group.Y * size.Y + local.Y, group.Z * size.Z + local.Z),
        };
        WorkgroupContext.Enter(context);
    }

    public static void Invoke(KernelInfo kernel, Action invocation)
    {
        try
        {
            invocation();
        }
        catch (Exception e) when (e is not KernelExecutionException and not OperationCanceledException)
        {
            throw Failure(kernel, e);
        }
    }

    /// <summary>The error for an exception of the invocation now running on this thread, naming its ids.</summary>
    public static KernelExecutionException Failure(KernelInfo kernel, Exception e)
    {
        var ids = Kernel.Current;
        return new KernelExecutionException(
            $"{kernel.Name} failed on the CPU backend in invocation global id {ids.Global} " +
            $"(workgroup {ids.Workgroup}, local id {ids.Local}): {e.Message}", e);
    }
}
