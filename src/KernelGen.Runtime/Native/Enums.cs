namespace KernelGen.Native;

// Constants of Dawn's webgpu.h (mid/late 2025 API), as measured in shared/docs/dawn-abi.md. C enums are 32-bit;
// flag types (WGPUBufferUsage, WGPUShaderStage, WGPUMapMode) are 64-bit. Every status starts at 1: 0 is invalid.

internal enum SType : uint
{
    ShaderSourceSpirv = 1,
    ShaderSourceWgsl = 2,
    DawnTogglesDescriptor = 0x5000A,
}

internal enum CallbackMode : uint
{
    WaitAnyOnly = 1,
    AllowProcessEvents = 2,
    AllowSpontaneous = 3,
}

internal enum BackendType : uint
{
    Undefined = 0,
    Null = 1,
    WebGpu = 2,
    D3D11 = 3,
    D3D12 = 4,
    Metal = 5,
    Vulkan = 6,
    OpenGL = 7,
    OpenGles = 8,
}

internal enum AdapterType : uint
{
    DiscreteGpu = 1,
    IntegratedGpu = 2,
    Cpu = 3,
    Unknown = 4,
}

internal enum FeatureLevel : uint
{
    Undefined = 0,
    Compatibility = 1,
    Core = 2,
}

internal enum PowerPreference : uint
{
    Undefined = 0,
    LowPower = 1,
    HighPerformance = 2,
}

internal enum FeatureName : uint
{
    TimestampQuery = 3,
    ShaderF16 = 10,
    Subgroups = 17,
}

internal enum Status : uint
{
    Success = 1,
    Error = 2,
}

internal enum WaitStatus : uint
{
    Success = 1,
    TimedOut = 2,
    Error = 3,
}

internal enum RequestAdapterStatus : uint
{
    Success = 1,
    CallbackCancelled = 2,
    Unavailable = 3,
    Error = 4,
}

/// <summary>Shared by RequestDevice, QueueWorkDone, PopErrorScope and CompilationInfo callbacks.</summary>
internal enum RequestStatus : uint
{
    Success = 1,
    CallbackCancelled = 2,
    Error = 3,
}

internal enum MapAsyncStatus : uint
{
    Success = 1,
    CallbackCancelled = 2,
    Error = 3,
    Aborted = 4,
}

internal enum ErrorType : uint
{
    NoError = 1,
    Validation = 2,
    OutOfMemory = 3,
    Internal = 4,
    Unknown = 5,
}

internal enum ErrorFilter : uint
{
    Validation = 1,
    OutOfMemory = 2,
    Internal = 3,
}

internal enum DeviceLostReason : uint
{
    Unknown = 1,
    Destroyed = 2,
    CallbackCancelled = 3,
    FailedCreation = 4,
}

internal enum CompilationMessageType : uint
{
    Error = 1,
    Warning = 2,
    Info = 3,
}

internal enum BufferBindingType : uint
{
    BindingNotUsed = 0,
    Undefined = 1,
    Uniform = 2,
    Storage = 3,
    ReadOnlyStorage = 4,
}

[Flags]
internal enum BufferUsage : ulong
{
    None = 0,
    MapRead = 0x1,
    MapWrite = 0x2,
    CopySrc = 0x4,
    CopyDst = 0x8,
    Uniform = 0x40,
    Storage = 0x80,
    QueryResolve = 0x200,
}

[Flags]
internal enum ShaderStage : ulong
{
    None = 0,
    Compute = 0x4,
}

[Flags]
internal enum MapMode : ulong
{
    None = 0,
    Read = 0x1,
    Write = 0x2,
}

internal enum QueryType : uint
{
    Occlusion = 1,
    Timestamp = 2,
}
