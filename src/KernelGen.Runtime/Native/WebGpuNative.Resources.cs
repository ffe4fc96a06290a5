using System.Runtime.InteropServices;

namespace KernelGen.Native;

// Buffers, shader modules, layouts, pipelines, bind groups, query sets. Every create/release pair goes through
// NativeHandles, so tests can see that a loop leaks no native objects.
internal static unsafe partial class WebGpuNative
{
    public static nint DeviceCreateBuffer(nint device, BufferDescriptor* descriptor) =>
        NativeHandles.Track(DeviceCreateBufferRaw(device, descriptor), NativeObjectKind.Buffer);

    public static void BufferRelease(nint buffer)
    {
        NativeHandles.Untrack(buffer, NativeObjectKind.Buffer);
        BufferReleaseRaw(buffer);
    }

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateBuffer")]
    private static partial nint DeviceCreateBufferRaw(nint device, BufferDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferRelease")]
    private static partial void BufferReleaseRaw(nint buffer);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferMapAsync")]
    public static partial Future BufferMapAsync(nint buffer, MapMode mode, nuint offset, nuint size, CallbackInfo callbackInfo);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferGetConstMappedRange")]
    public static partial void* BufferGetConstMappedRange(nint buffer, nuint offset, nuint size);

    /// <summary>The writable range of a buffer created with mappedAtCreation (or mapped for writing).</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferGetMappedRange")]
    public static partial void* BufferGetMappedRange(nint buffer, nuint offset, nuint size);

    /// <summary>Copies out of a mapped buffer; Dawn wants <paramref name="offset"/> to be a multiple of 8.</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferReadMappedRange")]
    public static partial Status BufferReadMappedRange(nint buffer, nuint offset, void* data, nuint size);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferUnmap")]
    public static partial void BufferUnmap(nint buffer);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferGetSize")]
    public static partial ulong BufferGetSize(nint buffer);

    /// <summary>Frees the buffer's memory now (once queued work using it is done); the handle still needs a release.</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferDestroy")]
    public static partial void BufferDestroy(nint buffer);

    public static nint DeviceCreateShaderModule(nint device, ShaderModuleDescriptor* descriptor) =>
        NativeHandles.Track(DeviceCreateShaderModuleRaw(device, descriptor), NativeObjectKind.ShaderModule);

    public static void ShaderModuleRelease(nint shaderModule)
    {
        NativeHandles.Untrack(shaderModule, NativeObjectKind.ShaderModule);
        ShaderModuleReleaseRaw(shaderModule);
    }

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateShaderModule")]
    private static partial nint DeviceCreateShaderModuleRaw(nint device, ShaderModuleDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuShaderModuleRelease")]
    private static partial void ShaderModuleReleaseRaw(nint shaderModule);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuShaderModuleGetCompilationInfo")]
    public static partial Future ShaderModuleGetCompilationInfo(nint shaderModule, CallbackInfo callbackInfo);

    public static nint DeviceCreateBindGroupLayout(nint device, BindGroupLayoutDescriptor* descriptor) =>
        NativeHandles.Track(DeviceCreateBindGroupLayoutRaw(device, descriptor), NativeObjectKind.BindGroupLayout);

    public static void BindGroupLayoutRelease(nint bindGroupLayout)
    {
        NativeHandles.Untrack(bindGroupLayout, NativeObjectKind.BindGroupLayout);
        BindGroupLayoutReleaseRaw(bindGroupLayout);
    }

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateBindGroupLayout")]
    private static partial nint DeviceCreateBindGroupLayoutRaw(nint device, BindGroupLayoutDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBindGroupLayoutRelease")]
    private static partial void BindGroupLayoutReleaseRaw(nint bindGroupLayout);

    public static nint DeviceCreatePipelineLayout(nint device, PipelineLayoutDescriptor* descriptor) =>
        NativeHandles.Track(DeviceCreatePipelineLayoutRaw(device, descriptor), NativeObjectKind.PipelineLayout);

    public static void PipelineLayoutRelease(nint pipelineLayout)
    {
        NativeHandles.Untrack(pipelineLayout, NativeObjectKind.PipelineLayout);
        PipelineLayoutReleaseRaw(pipelineLayout);
    }

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreatePipelineLayout")]
    private static partial nint DeviceCreatePipelineLayoutRaw(nint device, PipelineLayoutDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuPipelineLayoutRelease")]
    private static partial void PipelineLayoutReleaseRaw(nint pipelineLayout);

    public static nint DeviceCreateComputePipeline(nint device, ComputePipelineDescriptor* descriptor) =>
        NativeHandles.Track(DeviceCreateComputePipelineRaw(device, descriptor), NativeObjectKind.ComputePipeline);

    public static void ComputePipelineRelease(nint pipeline)
    {
        NativeHandles.Untrack(pipeline, NativeObjectKind.ComputePipeline);
        ComputePipelineReleaseRaw(pipeline);
    }

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateComputePipeline")]
    private static partial nint DeviceCreateComputePipelineRaw(nint device, ComputePipelineDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePipelineRelease")]
    private static partial void ComputePipelineReleaseRaw(nint pipeline);

    /// <summary>The layout Dawn derived for a pipeline created with layout "auto" (<c>Layout = 0</c>).</summary>
    public static nint ComputePipelineGetBindGroupLayout(nint pipeline, uint groupIndex) =>
        NativeHandles.Track(ComputePipelineGetBindGroupLayoutRaw(pipeline, groupIndex), NativeObjectKind.BindGroupLayout);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePipelineGetBindGroupLayout")]
    private static partial nint ComputePipelineGetBindGroupLayoutRaw(nint pipeline, uint groupIndex);

    public static nint DeviceCreateBindGroup(nint device, BindGroupDescriptor* descriptor) =>
        NativeHandles.Track(DeviceCreateBindGroupRaw(device, descriptor), NativeObjectKind.BindGroup);

    public static void BindGroupRelease(nint bindGroup)
    {
        NativeHandles.Untrack(bindGroup, NativeObjectKind.BindGroup);
        BindGroupReleaseRaw(bindGroup);
    }

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateBindGroup")]
    private static partial nint DeviceCreateBindGroupRaw(nint device, BindGroupDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBindGroupRelease")]
    private static partial void BindGroupReleaseRaw(nint bindGroup);

    /// <summary>Timestamp query sets need the TimestampQuery feature on the device.</summary>
    public static nint DeviceCreateQuerySet(nint device, QuerySetDescriptor* descriptor) =>
        NativeHandles.Track(DeviceCreateQuerySetRaw(device, descriptor), NativeObjectKind.QuerySet);

    public static void QuerySetRelease(nint querySet)
    {
        NativeHandles.Untrack(querySet, NativeObjectKind.QuerySet);
        QuerySetReleaseRaw(querySet);
    }

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateQuerySet")]
    private static partial nint DeviceCreateQuerySetRaw(nint device, QuerySetDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuQuerySetRelease")]
    private static partial void QuerySetReleaseRaw(nint querySet);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuQuerySetDestroy")]
    public static partial void QuerySetDestroy(nint querySet);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuQuerySetGetCount")]
    public static partial uint QuerySetGetCount(nint querySet);
}
