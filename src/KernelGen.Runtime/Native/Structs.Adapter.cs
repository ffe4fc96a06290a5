namespace KernelGen.Native;

/// <summary>WGPUAdapterInfo (96). Dawn owns the strings: copy them, then call wgpuAdapterInfoFreeMembers.</summary>
internal unsafe struct AdapterInfo
{
    public ChainedStruct* NextInChain;
    public StringView Vendor;
    public StringView Architecture;
    public StringView Device;
    public StringView Description;
    public BackendType BackendType;
    public AdapterType AdapterType;
    public uint VendorId;
    public uint DeviceId;
    public uint SubgroupMinSize;
    public uint SubgroupMaxSize;
}

/// <summary>WGPUSupportedFeatures (16). Dawn owns the array: free with wgpuSupportedFeaturesFreeMembers.</summary>
internal unsafe struct SupportedFeatures
{
    public nuint FeatureCount;
    public FeatureName* Features;
}

/// <summary>
/// WGPULimits (152) of this Dawn build: 64-bit sizes sit between the 32-bit counts and <c>maxImmediateSize</c> is the
/// last field. The compatibility-mode limits live in a chained WGPUCompatibilityModeLimits, not here: Dawn's
/// wgpuAdapterGetLimits writes exactly 152 bytes (tests/Runtime/NativeBehaviourTests.cs checks it).
/// </summary>
internal unsafe struct Limits
{
    public ChainedStruct* NextInChain;
    public uint MaxTextureDimension1D;
    public uint MaxTextureDimension2D;
    public uint MaxTextureDimension3D;
    public uint MaxTextureArrayLayers;
    public uint MaxBindGroups;
    public uint MaxBindGroupsPlusVertexBuffers;
    public uint MaxBindingsPerBindGroup;
    public uint MaxDynamicUniformBuffersPerPipelineLayout;
    public uint MaxDynamicStorageBuffersPerPipelineLayout;
    public uint MaxSampledTexturesPerShaderStage;
    public uint MaxSamplersPerShaderStage;
    public uint MaxStorageBuffersPerShaderStage;
    public uint MaxStorageTexturesPerShaderStage;
    public uint MaxUniformBuffersPerShaderStage;
    public ulong MaxUniformBufferBindingSize;
    public ulong MaxStorageBufferBindingSize;
    public uint MinUniformBufferOffsetAlignment;
    public uint MinStorageBufferOffsetAlignment;
    public uint MaxVertexBuffers;
    public ulong MaxBufferSize;
    public uint MaxVertexAttributes;
    public uint MaxVertexBufferArrayStride;
    public uint MaxInterStageShaderVariables;
    public uint MaxColorAttachments;
    public uint MaxColorAttachmentBytesPerSample;
    public uint MaxComputeWorkgroupStorageSize;
    public uint MaxComputeInvocationsPerWorkgroup;
    public uint MaxComputeWorkgroupSizeX;
    public uint MaxComputeWorkgroupSizeY;
    public uint MaxComputeWorkgroupSizeZ;
    public uint MaxComputeWorkgroupsPerDimension;
    public uint MaxImmediateSize;
}
