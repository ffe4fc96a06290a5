using System.Runtime.InteropServices;

namespace KernelGen.Native;

// The compute subset of webgpu.h as exported by Dawn. Handles are nint; every object has a Release. Split by family:
// instance/adapter here, then device, resources (buffers, shaders, pipelines), commands.
internal static unsafe partial class WebGpuNative
{
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCreateInstance")]
    public static partial nint CreateInstance(InstanceDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuInstanceRequestAdapter")]
    public static partial Future InstanceRequestAdapter(nint instance, RequestAdapterOptions* options, CallbackInfo callbackInfo);

    /// <summary>A non-zero timeout needs InstanceCapabilities.timedWaitAnyEnable = 1, else WaitStatus Error.</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuInstanceWaitAny")]
    public static partial WaitStatus InstanceWaitAny(nint instance, nuint futureCount, FutureWaitInfo* futures, ulong timeoutNs);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuInstanceProcessEvents")]
    public static partial void InstanceProcessEvents(nint instance);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuInstanceRelease")]
    public static partial void InstanceRelease(nint instance);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuAdapterGetInfo")]
    public static partial Status AdapterGetInfo(nint adapter, AdapterInfo* info);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuAdapterInfoFreeMembers")]
    public static partial void AdapterInfoFreeMembers(AdapterInfo info);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuAdapterGetLimits")]
    public static partial Status AdapterGetLimits(nint adapter, Limits* limits);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuAdapterGetFeatures")]
    public static partial void AdapterGetFeatures(nint adapter, SupportedFeatures* features);

    /// <summary>WGPUBool: 1 when the adapter offers <paramref name="feature"/>.</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuAdapterHasFeature")]
    public static partial uint AdapterHasFeature(nint adapter, FeatureName feature);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuSupportedFeaturesFreeMembers")]
    public static partial void SupportedFeaturesFreeMembers(SupportedFeatures features);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuAdapterRequestDevice")]
    public static partial Future AdapterRequestDevice(nint adapter, DeviceDescriptor* descriptor, CallbackInfo callbackInfo);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuAdapterRelease")]
    public static partial void AdapterRelease(nint adapter);
}
