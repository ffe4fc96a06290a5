namespace KernelGen.Native;

// Structs shared by every family: chaining, futures, callback registration. Layouts: shared/docs/dawn-abi.md,
// checked by tests/Runtime/NativeLayoutTests.cs. Handles are plain pointers (nint); WGPUBool is a u32.

/// <summary>WGPUChainedStruct (16): the header of an extension struct linked through <c>nextInChain</c>.</summary>
internal unsafe struct ChainedStruct
{
    public ChainedStruct* Next;
    public SType SType;
}

/// <summary>WGPUFuture (8): an id that <c>wgpuInstanceWaitAny</c> waits on.</summary>
internal struct Future
{
    public ulong Id;
}

/// <summary>WGPUFutureWaitInfo (16).</summary>
internal struct FutureWaitInfo
{
    public Future Future;
    public uint Completed;
}

/// <summary>
/// The shape every "CallbackInfo" struct with a mode shares (40, passed by value): RequestAdapter, RequestDevice,
/// DeviceLost, BufferMap, QueueWorkDone, PopErrorScope, CompilationInfo. <see cref="Callback"/> is an
/// <c>[UnmanagedCallersOnly]</c> function pointer of the matching signature.
/// </summary>
internal unsafe struct CallbackInfo
{
    public ChainedStruct* NextInChain;
    public CallbackMode Mode;
    public void* Callback;
    public void* Userdata1;
    public void* Userdata2;
}

/// <summary>WGPUUncapturedErrorCallbackInfo (32): like <see cref="CallbackInfo"/> without a mode.</summary>
internal unsafe struct UncapturedErrorCallbackInfo
{
    public ChainedStruct* NextInChain;
    public void* Callback;
    public void* Userdata1;
    public void* Userdata2;
}
