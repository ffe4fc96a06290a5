using System.Runtime.InteropServices;

namespace KernelGen.Native;

// Command encoding: compute passes and buffer copies.
internal static unsafe partial class WebGpuNative
{
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateCommandEncoder")]
    public static partial nint DeviceCreateCommandEncoder(nint device, CommandEncoderDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandEncoderBeginComputePass")]
    public static partial nint CommandEncoderBeginComputePass(nint encoder, ComputePassDescriptor* descriptor);

    /// <summary>Offsets and size must be multiples of 4.</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandEncoderCopyBufferToBuffer")]
    public static partial void CommandEncoderCopyBufferToBuffer(nint encoder, nint source, ulong sourceOffset,
        nint destination, ulong destinationOffset, ulong size);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandEncoderFinish")]
    public static partial nint CommandEncoderFinish(nint encoder, CommandBufferDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandEncoderRelease")]
    public static partial void CommandEncoderRelease(nint encoder);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandBufferRelease")]
    public static partial void CommandBufferRelease(nint commandBuffer);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePassEncoderSetPipeline")]
    public static partial void ComputePassEncoderSetPipeline(nint pass, nint pipeline);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePassEncoderSetBindGroup")]
    public static partial void ComputePassEncoderSetBindGroup(nint pass, uint groupIndex, nint group,
        nuint dynamicOffsetCount, uint* dynamicOffsets);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePassEncoderDispatchWorkgroups")]
    public static partial void ComputePassEncoderDispatchWorkgroups(nint pass, uint x, uint y, uint z);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePassEncoderEnd")]
    public static partial void ComputePassEncoderEnd(nint pass);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePassEncoderRelease")]
    public static partial void ComputePassEncoderRelease(nint pass);
}
