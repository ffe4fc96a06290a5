using System.Runtime.InteropServices;

namespace KernelGen.Native;

// Device, queue and error scopes.
internal static unsafe partial class WebGpuNative
{
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceGetQueue")]
    public static partial nint DeviceGetQueue(nint device);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceGetLimits")]
    public static partial Status DeviceGetLimits(nint device, Limits* limits);

    /// <summary>Whether the device was opened with <paramref name="feature"/> (WGPUBool: 0 or 1).</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceHasFeature")]
    public static partial uint DeviceHasFeature(nint device, FeatureName feature);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDevicePushErrorScope")]
    public static partial void DevicePushErrorScope(nint device, ErrorFilter filter);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDevicePopErrorScope")]
    public static partial Future DevicePopErrorScope(nint device, CallbackInfo callbackInfo);

    /// <summary>Dawn's extension that loses the device on purpose: how the tests check that loss ends every wait.</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceForceLoss")]
    public static partial void DeviceForceLoss(nint device, DeviceLostReason reason, StringView message);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceDestroy")]
    public static partial void DeviceDestroy(nint device);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceRelease")]
    public static partial void DeviceRelease(nint device);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuQueueWriteBuffer")]
    public static partial void QueueWriteBuffer(nint queue, nint buffer, ulong bufferOffset, void* data, nuint size);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuQueueSubmit")]
    public static partial void QueueSubmit(nint queue, nuint commandCount, nint* commands);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuQueueOnSubmittedWorkDone")]
    public static partial Future QueueOnSubmittedWorkDone(nint queue, CallbackInfo callbackInfo);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuQueueRelease")]
    public static partial void QueueRelease(nint queue);
}
