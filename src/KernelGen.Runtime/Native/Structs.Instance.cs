namespace KernelGen.Native;

/// <summary>WGPUInstanceCapabilities (24). <c>timedWaitAnyEnable = 1</c> is what lets WaitAny take a timeout.</summary>
internal unsafe struct InstanceCapabilities
{
    public ChainedStruct* NextInChain;
    public uint TimedWaitAnyEnable;
    public nuint TimedWaitAnyMaxCount;
}

/// <summary>WGPUInstanceDescriptor (32), the form with capabilities (not requiredFeatures).</summary>
internal unsafe struct InstanceDescriptor
{
    public ChainedStruct* NextInChain;
    public InstanceCapabilities Capabilities;
}

/// <summary>WGPURequestAdapterOptions (32).</summary>
internal unsafe struct RequestAdapterOptions
{
    public ChainedStruct* NextInChain;
    public FeatureLevel FeatureLevel;
    public PowerPreference PowerPreference;
    public uint ForceFallbackAdapter;
    public BackendType BackendType;
    public nint CompatibleSurface;
}
