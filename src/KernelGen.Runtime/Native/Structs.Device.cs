namespace KernelGen.Native;

/// <summary>WGPUQueueDescriptor (24).</summary>
internal unsafe struct QueueDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
}

/// <summary>WGPUDeviceDescriptor (144).</summary>
internal unsafe struct DeviceDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
    public nuint RequiredFeatureCount;
    public FeatureName* RequiredFeatures;
    public Limits* RequiredLimits;
    public QueueDescriptor DefaultQueue;
    public CallbackInfo DeviceLostCallbackInfo;
    public UncapturedErrorCallbackInfo UncapturedErrorCallbackInfo;
}

/// <summary>WGPUBufferDescriptor (48).</summary>
internal unsafe struct BufferDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
    public BufferUsage Usage;
    public ulong Size;
    public uint MappedAtCreation;
}
