using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KernelGen.Native;
using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// Every native struct against the layout measured on Dawn's binary (shared/docs/dawn-abi.md): size and the offset
/// of every field. A struct that grows a field without a matching entry here fails too.
/// </summary>
public class NativeLayoutTests
{
    /// <summary>Size and field offsets of every struct in KernelGen.Native.</summary>
    private static readonly Dictionary<Type, (int Size, (string Field, int Offset)[] Fields)> Layouts = new()
    {
        [typeof(StringView)] = (16, [("Data", 0), ("Length", 8)]),
        [typeof(ChainedStruct)] = (16, [("Next", 0), ("SType", 8)]),
        [typeof(Future)] = (8, [("Id", 0)]),
        [typeof(FutureWaitInfo)] = (16, [("Future", 0), ("Completed", 8)]),
        [typeof(CallbackInfo)] = (40, [
            ("NextInChain", 0), ("Mode", 8), ("Callback", 16), ("Userdata1", 24), ("Userdata2", 32)
        ]),
        [typeof(UncapturedErrorCallbackInfo)] = (32, [
            ("NextInChain", 0), ("Callback", 8), ("Userdata1", 16), ("Userdata2", 24)
        ]),
        [typeof(InstanceCapabilities)] = (24, [
            ("NextInChain", 0), ("TimedWaitAnyEnable", 8), ("TimedWaitAnyMaxCount", 16)
        ]),
        [typeof(InstanceDescriptor)] = (32, [("NextInChain", 0), ("Capabilities", 8)]),
        [typeof(RequestAdapterOptions)] = (32, [
            ("NextInChain", 0), ("FeatureLevel", 8), ("PowerPreference", 12), ("ForceFallbackAdapter", 16),
            ("BackendType", 20), ("CompatibleSurface", 24)
        ]),
        [typeof(AdapterInfo)] = (96, [
            ("NextInChain", 0), ("Vendor", 8), ("Architecture", 24), ("Device", 40), ("Description", 56),
            ("BackendType", 72), ("AdapterType", 76), ("VendorId", 80), ("DeviceId", 84), ("SubgroupMinSize", 88),
            ("SubgroupMaxSize", 92)
        ]),
        [typeof(SupportedFeatures)] = (16, [("FeatureCount", 0), ("Features", 8)]),
        [typeof(Limits)] = (152, [
            ("NextInChain", 0), ("MaxTextureDimension1D", 8), ("MaxTextureDimension2D", 12),
            ("MaxTextureDimension3D", 16), ("MaxTextureArrayLayers", 20), ("MaxBindGroups", 24),
            ("MaxBindGroupsPlusVertexBuffers", 28), ("MaxBindingsPerBindGroup", 32),
            ("MaxDynamicUniformBuffersPerPipelineLayout", 36), ("MaxDynamicStorageBuffersPerPipelineLayout", 40),
            ("MaxSampledTexturesPerShaderStage", 44), ("MaxSamplersPerShaderStage", 48),
            ("MaxStorageBuffersPerShaderStage", 52), ("MaxStorageTexturesPerShaderStage", 56),
            ("MaxUniformBuffersPerShaderStage", 60), ("MaxUniformBufferBindingSize", 64),
            ("MaxStorageBufferBindingSize", 72), ("MinUniformBufferOffsetAlignment", 80),
            ("MinStorageBufferOffsetAlignment", 84), ("MaxVertexBuffers", 88), ("MaxBufferSize", 96),
            ("MaxVertexAttributes", 104), ("MaxVertexBufferArrayStride", 108), ("MaxInterStageShaderVariables", 112),
            ("MaxColorAttachments", 116), ("MaxColorAttachmentBytesPerSample", 120),
            ("MaxComputeWorkgroupStorageSize", 124), ("MaxComputeInvocationsPerWorkgroup", 128),
            ("MaxComputeWorkgroupSizeX", 132), ("MaxComputeWorkgroupSizeY", 136), ("MaxComputeWorkgroupSizeZ", 140),
            ("MaxComputeWorkgroupsPerDimension", 144), ("MaxImmediateSize", 148),
        ]),
        [typeof(QueueDescriptor)] = (24, [("NextInChain", 0), ("Label", 8)]),
        [typeof(DeviceDescriptor)] = (144, [
            ("NextInChain", 0), ("Label", 8), ("RequiredFeatureCount", 24), ("RequiredFeatures", 32),
            ("RequiredLimits", 40), ("DefaultQueue", 48), ("DeviceLostCallbackInfo", 72),
            ("UncapturedErrorCallbackInfo", 112)
        ]),
        [typeof(BufferDescriptor)] = (48, [
            ("NextInChain", 0), ("Label", 8), ("Usage", 24), ("Size", 32), ("MappedAtCreation", 40)
        ]),
        [typeof(ShaderModuleDescriptor)] = (24, [("NextInChain", 0), ("Label", 8)]),
        [typeof(ShaderSourceWgsl)] = (32, [("Chain", 0), ("Code", 16)]),
        [typeof(CompilationInfo)] = (24, [("NextInChain", 0), ("MessageCount", 8), ("Messages", 16)]),
        [typeof(CompilationMessage)] = (64, [
            ("NextInChain", 0), ("Message", 8), ("Type", 24), ("LineNum", 32), ("LinePos", 40), ("Offset", 48),
            ("Length", 56)
        ]),
        [typeof(ComputeState)] = (48, [
            ("NextInChain", 0), ("Module", 8), ("EntryPoint", 16), ("ConstantCount", 32), ("Constants", 40)
        ]),
        [typeof(ComputePipelineDescriptor)] = (80, [("NextInChain", 0), ("Label", 8), ("Layout", 24), ("Compute", 32)]),
        [typeof(BufferBindingLayout)] = (24, [
            ("NextInChain", 0), ("Type", 8), ("HasDynamicOffset", 12), ("MinBindingSize", 16)
        ]),
        [typeof(SamplerBindingLayout)] = (16, [("NextInChain", 0), ("Type", 8)]),
        [typeof(TextureBindingLayout)] = (24, [
            ("NextInChain", 0), ("SampleType", 8), ("ViewDimension", 12), ("Multisampled", 16)
        ]),
        [typeof(StorageTextureBindingLayout)] = (24, [
            ("NextInChain", 0), ("Access", 8), ("Format", 12), ("ViewDimension", 16)
        ]),
        [typeof(BindGroupLayoutEntry)] = (120, [
            ("NextInChain", 0), ("Binding", 8), ("Visibility", 16), ("BindingArraySize", 24), ("Buffer", 32),
            ("Sampler", 56), ("Texture", 72), ("StorageTexture", 96)
        ]),
        [typeof(BindGroupLayoutDescriptor)] = (40, [
            ("NextInChain", 0), ("Label", 8), ("EntryCount", 24), ("Entries", 32)
        ]),
        [typeof(PipelineLayoutDescriptor)] = (48, [
            ("NextInChain", 0), ("Label", 8), ("BindGroupLayoutCount", 24), ("BindGroupLayouts", 32),
            ("ImmediateSize", 40)
        ]),
        [typeof(BindGroupEntry)] = (56, [
            ("NextInChain", 0), ("Binding", 8), ("Buffer", 16), ("Offset", 24), ("Size", 32), ("Sampler", 40),
            ("TextureView", 48)
        ]),
        [typeof(BindGroupDescriptor)] = (48, [
            ("NextInChain", 0), ("Label", 8), ("Layout", 24), ("EntryCount", 32), ("Entries", 40)
        ]),
        [typeof(CommandEncoderDescriptor)] = (24, [("NextInChain", 0), ("Label", 8)]),
        [typeof(CommandBufferDescriptor)] = (24, [("NextInChain", 0), ("Label", 8)]),
        [typeof(ComputePassDescriptor)] = (32, [("NextInChain", 0), ("Label", 8), ("TimestampWrites", 24)]),
        [typeof(PassTimestampWrites)] = (24, [
            ("NextInChain", 0), ("QuerySet", 8), ("BeginningOfPassWriteIndex", 16), ("EndOfPassWriteIndex", 20)
        ]),
        [typeof(DawnTogglesDescriptor)] = (48, [
            ("Chain", 0), ("EnabledToggleCount", 16), ("EnabledToggles", 24), ("DisabledToggleCount", 32),
            ("DisabledToggles", 40)
        ]),
        [typeof(QuerySetDescriptor)] = (32, [("NextInChain", 0), ("Label", 8), ("Type", 24), ("Count", 28)]),
    };

    public static TheoryData<string> StructNames => new(Layouts.Keys.Select(t => t.Name).Order());

    [Theory]
    [MemberData(nameof(StructNames))]
    public void Struct_matches_Dawn(string name)
    {
        var (type, (size, fields)) = Layouts.Single(entry => entry.Key.Name == name);
        Assert.Equal(size, RuntimeHelpers.SizeOf(type.TypeHandle));
        Assert.Equal(size, Marshal.SizeOf(type));
        var declared = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(f => f.Name).Order();
        Assert.Equal(declared, fields.Select(f => f.Field).Order());
        foreach (var (field, offset) in fields)
        {
            int actual = (int)Marshal.OffsetOf(type, field);
            Assert.True(offset == actual, $"{name}.{field} is at {actual}; Dawn has it at {offset}.");
        }
    }

    [Fact]
    public void Every_native_struct_has_a_layout()
    {
        var declared = typeof(WebGpuNative).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(WebGpuNative).Namespace && t.IsValueType && !t.IsEnum && !t.IsNested)
            .Select(t => t.Name)
            .Order();
        Assert.Equal(declared, Layouts.Keys.Select(t => t.Name).Order());
    }

    [Fact]
    public void Constants_match_webgpu_h()
    {
        Assert.Equal(1u, (uint)BackendType.Null);
        Assert.Equal(6u, (uint)BackendType.Vulkan);
        Assert.Equal(8u, (uint)BackendType.OpenGles);
        Assert.Equal(3u, (uint)AdapterType.Cpu);
        Assert.Equal(1u, (uint)FeatureLevel.Compatibility);
        Assert.Equal(2u, (uint)SType.ShaderSourceWgsl);
        Assert.Equal(1u, (uint)CallbackMode.WaitAnyOnly);
        Assert.Equal(3u, (uint)CallbackMode.AllowSpontaneous);
        Assert.Equal(4u, (uint)BufferBindingType.ReadOnlyStorage);
        Assert.Equal(0x80UL, (ulong)BufferUsage.Storage);
        Assert.Equal(0x40UL, (ulong)BufferUsage.Uniform);
        Assert.Equal(4UL, (ulong)ShaderStage.Compute);
        Assert.Equal(0x200UL, (ulong)BufferUsage.QueryResolve);
        Assert.Equal(3u, (uint)FeatureName.TimestampQuery);
        Assert.Equal(2u, (uint)QueryType.Timestamp);
        Assert.Equal(0x5000Au, (uint)SType.DawnTogglesDescriptor);
        Assert.Equal(sizeof(ulong), Unsafe.SizeOf<BufferUsage>());
        Assert.Equal(sizeof(uint), Unsafe.SizeOf<BackendType>());
    }
}
