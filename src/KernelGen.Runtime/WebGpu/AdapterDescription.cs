using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>Reads Dawn's description of an adapter (copying the strings Dawn owns) into a <see cref="WebGpuAdapterInfo"/>.</summary>
internal static unsafe class AdapterDescription
{
    public static WebGpuAdapterInfo Read(nint adapter, WebGpuBackend backend, Limits limits)
    {
        AdapterInfo info;
        if (WebGpuNative.AdapterGetInfo(adapter, &info) != Status.Success)
            throw new WebGpuUnavailableException($"No WebGPU adapter: Dawn could not describe its {WebGpuAdapterInfo.BackendName(backend)} adapter.");
        try
        {
            var (f16, subgroups) = Features(adapter);
            return new WebGpuAdapterInfo
            {
                Name = info.Device.ToString(),
                Vendor = info.Vendor.ToString(),
                Architecture = info.Architecture.ToString(),
                DriverDescription = info.Description.ToString(),
                Backend = backend,
                AdapterType = info.AdapterType switch
                {
                    AdapterType.DiscreteGpu => WebGpuAdapterType.DiscreteGpu,
                    AdapterType.IntegratedGpu => WebGpuAdapterType.IntegratedGpu,
                    AdapterType.Cpu => WebGpuAdapterType.Cpu,
                    _ => WebGpuAdapterType.Unknown,
                },
                VendorId = info.VendorId,
                DeviceId = info.DeviceId,
                SupportsShaderF16 = f16,
                SupportsSubgroups = subgroups,
                SupportsTimestampQueries = WebGpuNative.AdapterHasFeature(adapter, FeatureName.TimestampQuery) != 0,
                Limits = new WebGpuLimits
                {
                    MaxBufferSize = limits.MaxBufferSize,
                    MaxStorageBufferBindingSize = limits.MaxStorageBufferBindingSize,
                    MaxUniformBufferBindingSize = limits.MaxUniformBufferBindingSize,
                    MaxStorageBuffersPerShaderStage = limits.MaxStorageBuffersPerShaderStage,
                    MaxComputeWorkgroupStorageSize = limits.MaxComputeWorkgroupStorageSize,
                    MaxComputeInvocationsPerWorkgroup = limits.MaxComputeInvocationsPerWorkgroup,
                    MaxComputeWorkgroupSizeX = limits.MaxComputeWorkgroupSizeX,
                    MaxComputeWorkgroupSizeY = limits.MaxComputeWorkgroupSizeY,
                    MaxComputeWorkgroupSizeZ = limits.MaxComputeWorkgroupSizeZ,
                    MaxComputeWorkgroupsPerDimension = limits.MaxComputeWorkgroupsPerDimension,
                    MinUniformBufferOffsetAlignment = limits.MinUniformBufferOffsetAlignment,
                    MinStorageBufferOffsetAlignment = limits.MinStorageBufferOffsetAlignment,
                },
            };
        }
        finally
        {
            WebGpuNative.AdapterInfoFreeMembers(info);
        }
    }

    private static (bool ShaderF16, bool Subgroups) Features(nint adapter)
    {
        SupportedFeatures features;
        WebGpuNative.AdapterGetFeatures(adapter, &features);
        var list = new ReadOnlySpan<FeatureName>(features.Features, checked((int)features.FeatureCount));
        var result = (list.Contains(FeatureName.ShaderF16), list.Contains(FeatureName.Subgroups));
        WebGpuNative.SupportedFeaturesFreeMembers(features);
        return result;
    }
}
