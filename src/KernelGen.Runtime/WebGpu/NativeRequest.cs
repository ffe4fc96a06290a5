using System.Runtime.InteropServices;
using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// The managed side of one asynchronous Dawn call (request adapter/device, map, work done, pop error scope,
/// compilation info): the callback finds it through a GCHandle passed as userdata1 and fills in the outcome.
/// </summary>
internal sealed class NativeRequest : IDisposable
{
    private GCHandle handle;

    public NativeRequest() => handle = GCHandle.Alloc(this);

    /// <summary>Set last by the callback, after every other field.</summary>
    public volatile bool Done;

    public uint Status;
    public string Message = "";

    /// <summary>The adapter or device a RequestAdapter/RequestDevice callback handed over.</summary>
    public nint Handle;

    /// <summary>The error type a PopErrorScope callback reported.</summary>
    public ErrorType ErrorType;

    /// <summary>The messages a CompilationInfo callback reported.</summary>
    public List<ShaderMessage> ShaderMessages = [];

    public unsafe CallbackInfo CallbackInfo(void* callback) => new()
    {
        Mode = CallbackMode.WaitAnyOnly,
        Callback = callback,
        Userdata1 = (void*)GCHandle.ToIntPtr(handle),
    };

    public static unsafe NativeRequest? From(void* userdata) =>
        userdata == null ? null : GCHandle.FromIntPtr((nint)userdata).Target as NativeRequest;

    public void Dispose()
    {
        // A request whose wait gave up (timeout, device loss) may still be answered later; its callback must then
        // find a live object, so such a handle is deliberately left allocated (a few bytes, only on failure paths).
        if (Done && handle.IsAllocated) handle.Free();
    }
}

/// <summary>One message of a WGSL compilation, with Dawn's 1-based line and column (0 when unknown).</summary>
internal readonly record struct ShaderMessage(CompilationMessageType Type, ulong Line, ulong Column, string Text);
