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

/// <summary>
/// WGPUDawnTogglesDescriptor (48), chained with sType DawnTogglesDescriptor on a device descriptor: Dawn toggles
/// (NUL-terminated names) to turn on or off for that device.
/// </summary>
internal unsafe struct DawnTogglesDescriptor
{
    public ChainedStruct Chain;
    public nuint EnabledToggleCount;
    public byte** EnabledToggles;
    public nuint DisabledToggleCount;
    public byte** DisabledToggles;
}
