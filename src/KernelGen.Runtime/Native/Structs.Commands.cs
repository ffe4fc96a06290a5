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

/// <summary>WGPUComputePassDescriptor (32). <see cref="TimestampWrites"/> is null unless the pass is timed.</summary>
internal unsafe struct ComputePassDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
    public PassTimestampWrites* TimestampWrites;
}

/// <summary>
/// WGPUPassTimestampWrites (24): the query indices a pass writes its start and end times to
/// (<see cref="NoWrite"/> = none). This Dawn has the form with nextInChain (the older ComputePassTimestampWrites had none).
/// </summary>
internal unsafe struct PassTimestampWrites
{
    public const uint NoWrite = uint.MaxValue;

    public ChainedStruct* NextInChain;
    public nint QuerySet;
    public uint BeginningOfPassWriteIndex;
    public uint EndOfPassWriteIndex;
}

/// <summary>WGPUQuerySetDescriptor (32).</summary>
internal unsafe struct QuerySetDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
    public QueryType Type;
    public uint Count;
}
