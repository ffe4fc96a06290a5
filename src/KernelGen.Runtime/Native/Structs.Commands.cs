namespace KernelGen.Native;

/// <summary>WGPUCommandEncoderDescriptor (24).</summary>
internal unsafe struct CommandEncoderDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
}

/// <summary>WGPUCommandBufferDescriptor (24).</summary>
internal unsafe struct CommandBufferDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
}

/// <summary>WGPUComputePassDescriptor (32). No timestamp writes: <see cref="TimestampWrites"/> stays null.</summary>
internal unsafe struct ComputePassDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
    public nint TimestampWrites;
}
