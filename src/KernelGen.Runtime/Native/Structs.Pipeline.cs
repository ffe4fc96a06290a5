namespace KernelGen.Native;

/// <summary>WGPUComputeState (48).</summary>
internal unsafe struct ComputeState
{
    public ChainedStruct* NextInChain;
    public nint Module;
    public StringView EntryPoint;
    public nuint ConstantCount;
    public nint Constants;
}

/// <summary>WGPUComputePipelineDescriptor (80). <see cref="Layout"/> 0 means "auto" (derived from the shader).</summary>
internal unsafe struct ComputePipelineDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
    public nint Layout;
    public ComputeState Compute;
}

/// <summary>WGPUBufferBindingLayout (24). Type BindingNotUsed (0) marks an entry that binds no buffer.</summary>
internal unsafe struct BufferBindingLayout
{
    public ChainedStruct* NextInChain;
    public BufferBindingType Type;
    public uint HasDynamicOffset;
    public ulong MinBindingSize;
}

/// <summary>WGPUSamplerBindingLayout (16); declared only to give <see cref="BindGroupLayoutEntry"/> its shape (left zero).</summary>
internal unsafe struct SamplerBindingLayout
{
    public ChainedStruct* NextInChain;
    public uint Type;
}

/// <summary>WGPUTextureBindingLayout (24); left zero (BindingNotUsed) by the compute-only runtime.</summary>
internal unsafe struct TextureBindingLayout
{
    public ChainedStruct* NextInChain;
    public uint SampleType;
    public uint ViewDimension;
    public uint Multisampled;
}

/// <summary>WGPUStorageTextureBindingLayout (24); left zero (BindingNotUsed) by the compute-only runtime.</summary>
internal unsafe struct StorageTextureBindingLayout
{
    public ChainedStruct* NextInChain;
    public uint Access;
    public uint Format;
    public uint ViewDimension;
}

/// <summary>WGPUBindGroupLayoutEntry (120): exactly one of buffer/sampler/texture/storageTexture is used.</summary>
internal unsafe struct BindGroupLayoutEntry
{
    public ChainedStruct* NextInChain;
    public uint Binding;
    public ShaderStage Visibility;
    public uint BindingArraySize;
    public BufferBindingLayout Buffer;
    public SamplerBindingLayout Sampler;
    public TextureBindingLayout Texture;
    public StorageTextureBindingLayout StorageTexture;
}

/// <summary>WGPUBindGroupLayoutDescriptor (40).</summary>
internal unsafe struct BindGroupLayoutDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
    public nuint EntryCount;
    public BindGroupLayoutEntry* Entries;
}

/// <summary>WGPUPipelineLayoutDescriptor (48).</summary>
internal unsafe struct PipelineLayoutDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
    public nuint BindGroupLayoutCount;
    public nint* BindGroupLayouts;
    public uint ImmediateSize;
}

/// <summary>WGPUBindGroupEntry (56). <see cref="Size"/> = <see cref="WholeSize"/> binds the rest of the buffer.</summary>
internal unsafe struct BindGroupEntry
{
    public const ulong WholeSize = ulong.MaxValue;

    public ChainedStruct* NextInChain;
    public uint Binding;
    public nint Buffer;
    public ulong Offset;
    public ulong Size;
    public nint Sampler;
    public nint TextureView;
}

/// <summary>WGPUBindGroupDescriptor (48).</summary>
internal unsafe struct BindGroupDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
    public nint Layout;
    public nuint EntryCount;
    public BindGroupEntry* Entries;
}
