namespace KernelGen.WebGpu;

/// <summary>What kind of device a WebGPU adapter drives.</summary>
public enum WebGpuAdapterType
{
    Unknown,
    DiscreteGpu,
    IntegratedGpu,

    /// <summary>A software implementation on the CPU, such as Mesa's lavapipe.</summary>
    Cpu,
}

/// <summary>The adapter a WebGPU device runs on, as Dawn describes it.</summary>
public sealed record WebGpuAdapterInfo
{
    /// <summary>Dawn's device name, e.g. <c>llvmpipe (LLVM 19.1.7, 256 bits)</c>.</summary>
    public required string Name { get; init; }

    public required string Vendor { get; init; }

    public required string Architecture { get; init; }

    /// <summary>The driver's own description, e.g. <c>Mesa 25.0.7-...</c>.</summary>
    public required string DriverDescription { get; init; }

    public required WebGpuBackend Backend { get; init; }

    public required WebGpuAdapterType AdapterType { get; init; }

    public required uint VendorId { get; init; }

    public required uint DeviceId { get; init; }

    /// <summary>Whether WGSL may use <c>enable f16;</c> on this adapter (not requested on the device yet).</summary>
    public required bool SupportsShaderF16 { get; init; }

    /// <summary>Whether WGSL may use <c>enable subgroups;</c> on this adapter (not requested on the device yet).</summary>
    public required bool SupportsSubgroups { get; init; }

    /// <summary>
    /// Whether the adapter offers timestamp queries; the device then requests them and a timed batch
    /// (<see cref="ComputeDevice.BeginBatch(bool)"/>) reports each dispatch's GPU time.
    /// </summary>
    public required bool SupportsTimestampQueries { get; init; }

    /// <summary>The limits the device was created with (the adapter's own, not WebGPU's defaults).</summary>
    public required WebGpuLimits Limits { get; init; }

    public override string ToString() =>
        $"{Name} ({BackendName(Backend)}, {AdapterTypeName(AdapterType)}, driver {DriverDescription})";

    internal static string BackendName(WebGpuBackend backend) => backend switch
    {
        WebGpuBackend.Vulkan => "Vulkan",
        WebGpuBackend.OpenGles => "OpenGL ES",
        _ => backend.ToString(),
    };

    internal static string AdapterTypeName(WebGpuAdapterType type) => type switch
    {
        WebGpuAdapterType.DiscreteGpu => "discrete GPU",
        WebGpuAdapterType.IntegratedGpu => "integrated GPU",
        WebGpuAdapterType.Cpu => "CPU",
        _ => "unknown device type",
    };
}

/// <summary>The limits of a WebGPU device that matter to compute kernels.</summary>
public sealed record WebGpuLimits
{
    public required ulong MaxBufferSize { get; init; }

    public required ulong MaxStorageBufferBindingSize { get; init; }

    public required ulong MaxUniformBufferBindingSize { get; init; }

    public required uint MaxStorageBuffersPerShaderStage { get; init; }

    public required uint MaxComputeWorkgroupStorageSize { get; init; }

    public required uint MaxComputeInvocationsPerWorkgroup { get; init; }

    public required uint MaxComputeWorkgroupSizeX { get; init; }

    public required uint MaxComputeWorkgroupSizeY { get; init; }

    public required uint MaxComputeWorkgroupSizeZ { get; init; }

    public required uint MaxComputeWorkgroupsPerDimension { get; init; }

    /// <summary>Dynamic offsets into a uniform buffer are multiples of this (at most 256).</summary>
    public required uint MinUniformBufferOffsetAlignment { get; init; }

    /// <summary>A storage buffer bound at an offset (a <see cref="GpuBufferView{T}"/>) starts at a multiple of this (at most 256).</summary>
    public required uint MinStorageBufferOffsetAlignment { get; init; }
}
