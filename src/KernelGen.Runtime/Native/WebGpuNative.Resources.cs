using System.Runtime.InteropServices;

namespace KernelGen.Native;

// Buffers, shader modules, layouts, pipelines, bind groups.
internal static unsafe partial class WebGpuNative
{
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateBuffer")]
    public static partial nint DeviceCreateBuffer(nint device, BufferDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferMapAsync")]
    public static partial Future BufferMapAsync(nint buffer, MapMode mode, nuint offset, nuint size, CallbackInfo callbackInfo);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferGetConstMappedRange")]
    public static partial void* BufferGetConstMappedRange(nint buffer, nuint offset, nuint size);

    /// <summary>Copies out of a mapped buffer; Dawn wants <paramref name="offset"/> to be a multiple of 8.</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferReadMappedRange")]
    public static partial Status BufferReadMappedRange(nint buffer, nuint offset, void* data, nuint size);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferUnmap")]
    public static partial void BufferUnmap(nint buffer);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferGetSize")]
    public static partial ulong BufferGetSize(nint buffer);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferDestroy")]
    public static partial void BufferDestroy(nint buffer);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBufferRelease")]
    public static partial void BufferRelease(nint buffer);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateShaderModule")]
    public static partial nint DeviceCreateShaderModule(nint device, ShaderModuleDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuShaderModuleGetCompilationInfo")]
    public static partial Future ShaderModuleGetCompilationInfo(nint shaderModule, CallbackInfo callbackInfo);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuShaderModuleRelease")]
    public static partial void ShaderModuleRelease(nint shaderModule);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateBindGroupLayout")]
    public static partial nint DeviceCreateBindGroupLayout(nint device, BindGroupLayoutDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBindGroupLayoutRelease")]
    public static partial void BindGroupLayoutRelease(nint bindGroupLayout);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreatePipelineLayout")]
    public static partial nint DeviceCreatePipelineLayout(nint device, PipelineLayoutDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuPipelineLayoutRelease")]
    public static partial void PipelineLayoutRelease(nint pipelineLayout);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateComputePipeline")]
    public static partial nint DeviceCreateComputePipeline(nint device, ComputePipelineDescriptor* descriptor);

    /// <summary>The layout Dawn derived for a pipeline created with layout "auto" (<c>Layout = 0</c>).</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePipelineGetBindGroupLayout")]
    public static partial nint ComputePipelineGetBindGroupLayout(nint pipeline, uint groupIndex);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePipelineRelease")]
    public static partial void ComputePipelineRelease(nint pipeline);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateBindGroup")]
    public static partial nint DeviceCreateBindGroup(nint device, BindGroupDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuBindGroupRelease")]
    public static partial void BindGroupRelease(nint bindGroup);
}
