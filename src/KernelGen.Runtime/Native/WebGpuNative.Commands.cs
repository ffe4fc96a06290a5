using System.Runtime.InteropServices;

namespace KernelGen.Native;

// Command encoding: compute passes, buffer copies and clears, timestamp resolves. Encoders, passes and command
// buffers are counted by NativeHandles like every other object.
internal static unsafe partial class WebGpuNative
{
    public static nint DeviceCreateCommandEncoder(nint device, CommandEncoderDescriptor* descriptor) =>
        NativeHandles.Track(DeviceCreateCommandEncoderRaw(device, descriptor), NativeObjectKind.CommandEncoder);

    public static void CommandEncoderRelease(nint encoder)
    {
        NativeHandles.Untrack(encoder, NativeObjectKind.CommandEncoder);
        CommandEncoderReleaseRaw(encoder);
    }

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuDeviceCreateCommandEncoder")]
    private static partial nint DeviceCreateCommandEncoderRaw(nint device, CommandEncoderDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandEncoderRelease")]
    private static partial void CommandEncoderReleaseRaw(nint encoder);

    public static nint CommandEncoderBeginComputePass(nint encoder, ComputePassDescriptor* descriptor) =>
        NativeHandles.Track(CommandEncoderBeginComputePassRaw(encoder, descriptor), NativeObjectKind.ComputePass);

    public static void ComputePassEncoderRelease(nint pass)
    {
        NativeHandles.Untrack(pass, NativeObjectKind.ComputePass);
        ComputePassEncoderReleaseRaw(pass);
    }

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandEncoderBeginComputePass")]
    private static partial nint CommandEncoderBeginComputePassRaw(nint encoder, ComputePassDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePassEncoderRelease")]
    private static partial void ComputePassEncoderReleaseRaw(nint pass);

    public static nint CommandEncoderFinish(nint encoder, CommandBufferDescriptor* descriptor) =>
        NativeHandles.Track(CommandEncoderFinishRaw(encoder, descriptor), NativeObjectKind.CommandBuffer);

    public static void CommandBufferRelease(nint commandBuffer)
    {
        NativeHandles.Untrack(commandBuffer, NativeObjectKind.CommandBuffer);
        CommandBufferReleaseRaw(commandBuffer);
    }

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandEncoderFinish")]
    private static partial nint CommandEncoderFinishRaw(nint encoder, CommandBufferDescriptor* descriptor);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandBufferRelease")]
    private static partial void CommandBufferReleaseRaw(nint commandBuffer);

    /// <summary>Offsets and size must be multiples of 4.</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandEncoderCopyBufferToBuffer")]
    public static partial void CommandEncoderCopyBufferToBuffer(nint encoder, nint source, ulong sourceOffset,
        nint destination, ulong destinationOffset, ulong size);

    /// <summary>Zeroes bytes [offset, offset + size); both multiples of 4.</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandEncoderClearBuffer")]
    public static partial void CommandEncoderClearBuffer(nint encoder, nint buffer, ulong offset, ulong size);

    /// <summary>Writes queries [first, first + count) as u64 nanoseconds into <paramref name="destination"/> (offset a multiple of 256).</summary>
    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuCommandEncoderResolveQuerySet")]
    public static partial void CommandEncoderResolveQuerySet(nint encoder, nint querySet, uint firstQuery, uint queryCount,
        nint destination, ulong destinationOffset);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePassEncoderSetPipeline")]
    public static partial void ComputePassEncoderSetPipeline(nint pass, nint pipeline);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePassEncoderSetBindGroup")]
    public static partial void ComputePassEncoderSetBindGroup(nint pass, uint groupIndex, nint group,
        nuint dynamicOffsetCount, uint* dynamicOffsets);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePassEncoderDispatchWorkgroups")]
    public static partial void ComputePassEncoderDispatchWorkgroups(nint pass, uint x, uint y, uint z);

    [LibraryImport(WebGpuLibrary.Name, EntryPoint = "wgpuComputePassEncoderEnd")]
    public static partial void ComputePassEncoderEnd(nint pass);
}
