namespace KernelGen.WebGpu;

/// <summary>
/// What a <see cref="GpuBuffer"/> on WebGPU stores: the native buffer and its size in bytes (the element bytes
/// rounded up to a multiple of 4, which every copy and write needs). The handle is 0 once released.
/// </summary>
internal sealed class NativeBuffer(nint handle, ulong size)
{
    public nint Handle { get; private set; } = handle;

    public ulong Size { get; } = size;

    public bool IsReleased => Handle == 0;

    /// <summary>Forgets the handle; returns it so the caller can destroy it (once).</summary>
    public nint TakeHandle()
    {
        var handle = Handle;
        Handle = 0;
        return handle;
    }
}
