using System.Runtime.InteropServices;
using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// Collects what Dawn reports about a device outside any request: uncaptured errors (Dawn calls back synchronously,
/// inside the failing call, so the operation that caused one checks right after) and device loss (any time, any
/// thread). The device turns both into <see cref="WebGpuException"/>s that name the operation.
/// </summary>
internal sealed class DeviceErrorSink : IDisposable
{
    private readonly Lock gate = new();
    private readonly List<string> errors = [];
    private GCHandle handle;
    private volatile string? lostMessage;

    public DeviceErrorSink() => handle = GCHandle.Alloc(this);

    /// <summary>Set while the device is being released, when the loss Dawn reports is our own doing.</summary>
    public volatile bool Closing;

    public nint Userdata => GCHandle.ToIntPtr(handle);

    public bool IsLost => lostMessage != null;

    public static unsafe DeviceErrorSink? From(void* userdata) =>
        userdata == null ? null : GCHandle.FromIntPtr((nint)userdata).Target as DeviceErrorSink;

    public void OnLost(DeviceLostReason reason, string message)
    {
        if (Closing) return;
        lostMessage = $"the WebGPU device was lost ({reason}): {message.TrimEnd()}";
    }

    public void OnError(ErrorType type, string message)
    {
        lock (gate) errors.Add($"{Describe(type)}: {message.TrimEnd()}");
    }

    /// <summary>Throws when the device is lost or an uncaptured error arrived since the last check.</summary>
    public void ThrowIfFailed(string operation)
    {
        ThrowIfLost(operation);
        string? pending = null;
        lock (gate)
        {
            if (errors.Count > 0)
            {
                pending = string.Join(Environment.NewLine, errors);
                errors.Clear();
            }
        }
        if (pending != null) throw new WebGpuException($"{operation} failed: {pending}");
    }

    public void ThrowIfLost(string operation)
    {
        if (lostMessage is not null) ThrowLost(operation);
    }

    /// <summary>Out of line: the check above is inlined into every dispatch, the exception's building is not.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ThrowLost(string operation) => throw LostFailure(operation)!;

    /// <summary>The exception <see cref="ThrowIfLost"/> would throw, or null while the device is alive.</summary>
    public WebGpuException? LostFailure(string operation) =>
        lostMessage is { } lost ? new WebGpuException($"{operation}: {lost}. Dispose this device and open a new one.") : null;

    internal static string Describe(ErrorType type) => type switch
    {
        ErrorType.Validation => "validation error",
        ErrorType.OutOfMemory => "out of memory",
        ErrorType.Internal => "internal error",
        _ => "error",
    };

    /// <summary>Call only after the device and instance are released: Dawn may call back until then.</summary>
    public void Dispose()
    {
        if (handle.IsAllocated) handle.Free();
    }
}
