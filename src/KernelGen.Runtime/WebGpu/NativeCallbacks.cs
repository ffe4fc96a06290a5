using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// The unmanaged callbacks given to Dawn. They only copy the outcome into the <see cref="NativeRequest"/> (or
/// <see cref="DeviceErrorSink"/>) named by userdata1: an exception escaping an [UnmanagedCallersOnly] method would
/// end the process, so each one is a few assignments that cannot throw in practice.
/// </summary>
internal static unsafe class NativeCallbacks
{
    public static void* RequestAdapter => (delegate* unmanaged[Cdecl]<uint, nint, StringView, void*, void*, void>)&OnRequestAdapter;
    public static void* RequestDevice => (delegate* unmanaged[Cdecl]<uint, nint, StringView, void*, void*, void>)&OnRequestDevice;
    public static void* BufferMap => (delegate* unmanaged[Cdecl]<uint, StringView, void*, void*, void>)&OnStatusMessage;
    public static void* QueueWorkDone => (delegate* unmanaged[Cdecl]<uint, StringView, void*, void*, void>)&OnStatusMessage;
    public static void* PopErrorScope => (delegate* unmanaged[Cdecl]<uint, ErrorType, StringView, void*, void*, void>)&OnPopErrorScope;
    public static void* CompilationInfo => (delegate* unmanaged[Cdecl]<uint, CompilationInfo*, void*, void*, void>)&OnCompilationInfo;
    public static void* DeviceLost => (delegate* unmanaged[Cdecl]<nint*, DeviceLostReason, StringView, void*, void*, void>)&OnDeviceLost;
    public static void* UncapturedError => (delegate* unmanaged[Cdecl]<nint*, ErrorType, StringView, void*, void*, void>)&OnUncapturedError;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnRequestAdapter(uint status, nint adapter, StringView message, void* userdata1, void* userdata2) =>
        CompleteHandle(status, adapter, message, userdata1);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnRequestDevice(uint status, nint device, StringView message, void* userdata1, void* userdata2) =>
        CompleteHandle(status, device, message, userdata1);

    private static void CompleteHandle(uint status, nint handle, StringView message, void* userdata)
    {
        if (NativeRequest.From(userdata) is not { } request) return;
        request.Status = status;
        request.Handle = handle;
        request.Message = message.ToString().TrimEnd();
        request.Done = true;
    }

    /// <summary>BufferMap and QueueWorkDone share the shape (status, message, userdata1, userdata2).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnStatusMessage(uint status, StringView message, void* userdata1, void* userdata2)
    {
        if (NativeRequest.From(userdata1) is not { } request) return;
        request.Status = status;
        request.Message = message.ToString().TrimEnd();
        request.Done = true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnPopErrorScope(uint status, ErrorType type, StringView message, void* userdata1, void* userdata2)
    {
        if (NativeRequest.From(userdata1) is not { } request) return;
        request.Status = status;
        request.ErrorType = type;
        request.Message = message.ToString().TrimEnd();
        request.Done = true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnCompilationInfo(uint status, CompilationInfo* info, void* userdata1, void* userdata2)
    {
        if (NativeRequest.From(userdata1) is not { } request) return;
        request.Status = status;
        if (info != null)
        {
            for (nuint i = 0; i < info->MessageCount; i++)
            {
                var m = info->Messages[i];
                request.ShaderMessages.Add(new ShaderMessage(m.Type, m.LineNum, m.LinePos, m.Message.ToString().TrimEnd()));
            }
        }
        request.Done = true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDeviceLost(nint* device, DeviceLostReason reason, StringView message, void* userdata1, void* userdata2) =>
        DeviceErrorSink.From(userdata1)?.OnLost(reason, message.ToString());

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnUncapturedError(nint* device, ErrorType type, StringView message, void* userdata1, void* userdata2) =>
        DeviceErrorSink.From(userdata1)?.OnError(type, message.ToString());
}
