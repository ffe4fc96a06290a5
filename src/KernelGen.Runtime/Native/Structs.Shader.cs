namespace KernelGen.Native;

/// <summary>WGPUShaderModuleDescriptor (24); the source hangs off <see cref="NextInChain"/>.</summary>
internal unsafe struct ShaderModuleDescriptor
{
    public ChainedStruct* NextInChain;
    public StringView Label;
}

/// <summary>WGPUShaderSourceWGSL (32): chained with sType ShaderSourceWGSL.</summary>
internal struct ShaderSourceWgsl
{
    public ChainedStruct Chain;
    public StringView Code;
}

/// <summary>WGPUCompilationInfo (24), handed to the GetCompilationInfo callback.</summary>
internal unsafe struct CompilationInfo
{
    public ChainedStruct* NextInChain;
    public nuint MessageCount;
    public CompilationMessage* Messages;
}

/// <summary>WGPUCompilationMessage (64). Line and column are 1-based; 0 when the message has no position.</summary>
internal unsafe struct CompilationMessage
{
    public ChainedStruct* NextInChain;
    public StringView Message;
    public CompilationMessageType Type;
    public ulong LineNum;
    public ulong LinePos;
    public ulong Offset;
    public ulong Length;
}
