using KernelGen.WebGpu;
using Xunit;

namespace KernelGen.Tests;

/// <summary>The WebGPU device on this machine: the adapter it picked, and buffers that round-trip.</summary>
public class WebGpuDeviceTests
{
    private static ComputeDevice Device => WebGpuTestDevice.Device;

    [WebGpuFact]
    public void Opens_a_real_adapter_never_the_Null_backend()
    {
        var adapter = WebGpuTestDevice.Adapter;
        Assert.Equal(Backend.WebGpu, Device.Backend);
        if (Environment.GetEnvironmentVariable("KERNELGEN_WEBGPU_BACKEND") is null or "")
            Assert.Equal(WebGpuBackend.Vulkan, adapter.Backend);
        Assert.DoesNotContain("Null", adapter.Name);
        Assert.False(string.IsNullOrWhiteSpace(adapter.Name));
        Assert.StartsWith(adapter.Name + " (", Device.Description);
        Assert.Contains(adapter.Backend == WebGpuBackend.Vulkan ? "Vulkan" : "OpenGL ES", Device.Description);
        Assert.Contains("driver ", Device.Description);
        Assert.True(adapter.Limits.MaxStorageBufferBindingSize >= 128u << 20);
        Assert.True(adapter.Limits.MaxComputeInvocationsPerWorkgroup >= 256);
        Assert.True(adapter.Limits.MaxComputeWorkgroupsPerDimension >= 65535);
    }

    [Fact]
    public void Adapter_info_is_reachable_only_on_WebGpu_devices()
    {
        using var cpu = ComputeDevice.OpenCpu();
        Assert.Null(cpu.GetWebGpuAdapter());
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(100_003)]
    public void Float_buffers_round_trip(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => i * 0.5f - 7).ToArray();
        using var buffer = Device.CreateBuffer<float>(data);
        Assert.Equal(data, buffer.Read());
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(4099)]
    public void Byte_buffers_round_trip(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 1)).ToArray();
        using var buffer = Device.CreateBuffer<byte>(data);
        Assert.Equal(data, buffer.Read());
    }

    [WebGpuFact]
    public void Unaligned_writes_keep_the_neighbouring_bytes()
    {
        var data = Enumerable.Range(0, 11).Select(i => (byte)(100 + i)).ToArray();
        using var buffer = Device.CreateBuffer<byte>(data);
        buffer.Upload([1, 2, 3], offset: 3);
        buffer.Upload([9], offset: 10);
        data[3] = 1; data[4] = 2; data[5] = 3; data[10] = 9;
        Assert.Equal(data, buffer.Read());
    }

    [WebGpuFact]
    public void Reads_at_unaligned_offsets_return_exactly_the_range()
    {
        var data = Enumerable.Range(0, 50).Select(i => (short)(i * 3 - 20)).ToArray();
        using var buffer = Device.CreateBuffer<short>(data);
        var part = new short[7];
        buffer.ReadInto(part, offset: 13);
        Assert.Equal(data[13..20], part);
    }

    [WebGpuFact]
    public void Large_reads_go_in_pieces_through_a_capped_staging_buffer()
    {
        var data = Enumerable.Range(0, 20_001).Select(i => (float)i).ToArray();
        using var buffer = Device.CreateBuffer<float>(data);
        var saved = StagingReader.MaxStagingBytes;
        try
        {
            StagingReader.MaxStagingBytes = 4096;
            var part = new float[19_990];
            buffer.ReadInto(part, offset: 7);
            Assert.Equal(data[7..19_997], part);
        }
        finally
        {
            StagingReader.MaxStagingBytes = saved;
        }
    }

    [WebGpuFact]
    public void Buffers_too_large_for_one_binding_are_refused_with_the_limit()
    {
        var max = WebGpuTestDevice.Adapter.Limits.MaxStorageBufferBindingSize;
        if (max / sizeof(float) >= int.MaxValue) return; // cannot ask for more from C# on this adapter
        var e = Assert.Throws<WebGpuException>(() => Device.CreateBuffer<float>((int)(max / sizeof(float)) + 1));
        Assert.Contains("maxStorageBufferBindingSize", e.Message);
    }

    [WebGpuFact]
    public void A_disposed_device_refuses_work_and_frees_its_buffers()
    {
        var device = ComputeDevice.OpenWebGpu();
        var buffer = device.CreateBuffer<int>([1, 2, 3]);
        device.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Read());
        Assert.Throws<ObjectDisposedException>(() => device.CreateBuffer<int>(4));
        buffer.Dispose(); // after the device: a no-op, not a crash
        device.Dispose();
    }
}
