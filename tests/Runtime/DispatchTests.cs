using KernelGen.Native;
using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// Dispatches hand-written WGSL through <see cref="ComputeDevice.Dispatch"/>, the call generated stubs make. (The
/// product never has hand-written WGSL; these kernels test the runtime on its own.)
/// </summary>
public class DispatchTests
{
    private static ComputeDevice Device => WebGpuTestDevice.Device;

    private static readonly KernelInfo Double = new("DispatchTests.Double", """
        @group(0) @binding(0) var<storage, read_write> data: array<f32>;
        struct Params { n: u32 }
        @group(0) @binding(1) var<uniform> params: Params;

        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            if (id.x < params.n) { data[id.x] = data[id.x] * 2.0; }
        }
        """, 64, 1, 1, [BufferAccess.ReadWrite], uniformSize: 4);

    private static readonly KernelInfo AddInto = new("DispatchTests.AddInto", """
        @group(0) @binding(0) var<storage, read> a: array<f32>;
        @group(0) @binding(1) var<storage, read> b: array<f32>;
        @group(0) @binding(2) var<storage, read_write> sum: array<f32>;

        @compute @workgroup_size(8, 8)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            let i = id.y * 100u + id.x;
            if (id.x < 100u && id.y < 3u) { sum[i] = a[i] + b[i]; }
        }
        """, 8, 8, 1, [BufferAccess.ReadOnly, BufferAccess.ReadOnly, BufferAccess.ReadWrite], uniformSize: 0);

    private static readonly KernelInfo BadWgsl = new("DispatchTests.BadWgsl", """
        @group(0) @binding(0) var<storage, read_write> data: array<f32>;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            let x: f32 = id.x;
            data[0] = x;
        }
        """, 64, 1, 1, [BufferAccess.ReadWrite], uniformSize: 0);

    /// <summary>Valid WGSL that writes a buffer the kernel's metadata declares read-only.</summary>
    private static readonly KernelInfo WrongAccess = new("DispatchTests.WrongAccess", """
        @group(0) @binding(0) var<storage, read_write> data: array<f32>;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            data[id.x] = 1.0;
        }
        """, 64, 1, 1, [BufferAccess.ReadOnly], uniformSize: 0);

    private static void DispatchDouble(GpuBuffer<float> buffer, uint n)
    {
        Span<byte> uniforms = stackalloc byte[4];
        KernelLaunch.WriteUniform(uniforms, 0, n);
        Device.Dispatch(Double, n, [buffer], uniforms);
    }

    [WebGpuTheory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(1000)]
    public void A_kernel_with_a_uniform_doubles_its_buffer(int length)
    {
        var data = Enumerable.Range(0, length).Select(i => (float)i - 3).ToArray();
        using var buffer = Device.CreateBuffer<float>(data);
        DispatchDouble(buffer, (uint)length);
        Assert.Equal(data.Select(x => x * 2).ToArray(), buffer.Read());
    }

    [WebGpuFact]
    public void Each_queued_dispatch_sees_its_own_uniforms()
    {
        var data = Enumerable.Range(0, 200).Select(i => (float)i).ToArray();
        using var buffer = Device.CreateBuffer<float>(data);
        DispatchDouble(buffer, 10);   // no wait in between: the uniform buffer is rewritten while this is queued
        DispatchDouble(buffer, 200);
        DispatchDouble(buffer, 1);
        var expected = data.Select((x, i) => x * (i < 1 ? 8 : i < 10 ? 4 : 2)).ToArray();
        Assert.Equal(expected, buffer.Read());
    }

    [WebGpuFact]
    public void A_2D_kernel_with_read_only_buffers_and_no_uniforms_runs()
    {
        var a = Enumerable.Range(0, 300).Select(i => (float)i).ToArray();
        var b = Enumerable.Range(0, 300).Select(i => 1000f - i * 2).ToArray();
        using var ga = Device.CreateBuffer<float>(a);
        using var gb = Device.CreateBuffer<float>(b);
        using var sum = Device.CreateBuffer<float>(300);
        Device.Dispatch(AddInto, (100, 3), [ga, gb, sum], []);
        Device.Dispatch(AddInto, (100, 3), [ga, gb, sum], []); // the cached bind group again
        Device.Synchronize();
        Assert.Equal(a.Zip(b, (x, y) => x + y).ToArray(), sum.Read());
    }

    [WebGpuFact]
    public void Invalid_WGSL_fails_with_Dawns_message_the_position_and_the_kernel_name()
    {
        using var buffer = Device.CreateBuffer<float>(4);
        var e = Assert.Throws<WebGpuException>(() => Device.Dispatch(BadWgsl, 4, [buffer], []));
        Assert.Contains(BadWgsl.Name, e.Message);
        Assert.Contains("4:", e.Message);                        // line of the bad `let`
        Assert.Contains("let x: f32 = id.x;", e.Message);        // the source line, under Dawn's message
        Assert.Contains("'f32'", e.Message);                     // Dawn's (Tint's) own words about the types
        // The device is still usable afterwards.
        DispatchDouble(buffer, 4);
        Assert.Equal(new float[4], buffer.Read());
    }

    [WebGpuFact]
    public void A_layout_that_does_not_match_the_WGSL_fails_with_the_kernel_name()
    {
        using var buffer = Device.CreateBuffer<float>(64);
        var e = Assert.Throws<WebGpuException>(() => Device.Dispatch(WrongAccess, 64, [buffer], []));
        Assert.Contains(WrongAccess.Name, e.Message);
        Assert.Contains("rejected its compute pipeline", e.Message);
    }

    [WebGpuFact]
    public void Mismatched_arguments_are_refused_before_anything_is_dispatched()
    {
        using var buffer = Device.CreateBuffer<float>(4);
        Assert.Throws<KernelLaunchException>(() => Device.Dispatch(Double, 4, [buffer, buffer], new byte[4]));
        Assert.Throws<KernelLaunchException>(() => Device.Dispatch(Double, 4, [buffer], new byte[8]));
        using var cpu = ComputeDevice.OpenCpu();
        using var foreign = cpu.CreateBuffer<float>(4);
        Assert.Throws<KernelLaunchException>(() => Device.Dispatch(Double, 4, [foreign], new byte[4]));
    }

    [WebGpuFact]
    public void Synchronize_waits_for_the_dispatches()
    {
        var data = new float[10_000];
        Array.Fill(data, 1f);
        using var buffer = Device.CreateBuffer<float>(data);
        for (int i = 0; i < 10; i++) DispatchDouble(buffer, (uint)data.Length);
        Device.Synchronize();
        Assert.All(buffer.Read(), x => Assert.Equal(1024f, x));
    }

    [WebGpuFact]
    public void Launches_over_the_workgroup_limit_are_refused_with_the_kernel_axis_and_limit()
    {
        using var buffer = Device.CreateBuffer<float>(4);
        uint max = Device.MaxWorkgroupsPerDimension;
        Assert.Equal(WebGpuTestDevice.Adapter.Limits.MaxComputeWorkgroupsPerDimension, max);
        var e = Assert.Throws<KernelLaunchException>(() => Device.Dispatch(Double, (max + 1) * 64, [buffer], new byte[4]));
        Assert.Contains(Double.Name, e.Message);
        Assert.Contains($"({max})", e.Message);
        Assert.Contains("X exceeds", e.Message);
        DispatchDouble(buffer, 4); // the device is still usable afterwards
        Device.Synchronize();
    }

    [WebGpuFact]
    public void Errors_Dawn_reports_at_submit_name_the_kernel()
    {
        // A fixed-size array the KernelInfo's check cannot see (a struct element): Dawn refuses the too-small buffer
        // when the dispatch is submitted, and the message names the kernel.
        var kernel = new KernelInfo("DispatchTests.NeedsBigStruct", """
            struct Big { v: array<f32, 64> }
            @group(0) @binding(0) var<storage, read_write> data: Big;
            @compute @workgroup_size(1)
            fn main() { data.v[0] = 1.0; }
            """, 1, 1, 1, [BufferAccess.ReadWrite], uniformSize: 0);
        using var buffer = Device.CreateBuffer<float>(4);
        var e = Assert.Throws<WebGpuException>(() => Device.Dispatch(kernel, 1, [buffer], []));
        Assert.Contains(kernel.Name, e.Message);
        DispatchDouble(buffer, 4); // the device is still usable afterwards
        Device.Synchronize();
    }

    [WebGpuFact]
    public void The_OpenGL_ES_backend_runs_kernels_too_or_says_why_not()
    {
        ComputeDevice gles;
        try
        {
            gles = ComputeDevice.OpenWebGpu(new WebGpuOptions { Backends = [WebGpuBackend.OpenGles] });
        }
        catch (WebGpuUnavailableException e)
        {
            Assert.Contains("OpenGL ES", e.Message); // no EGL driver on this machine: the message must say so
            return;
        }
        using (gles)
        {
            Assert.Contains("OpenGL ES", gles.Description);
            Assert.NotNull(LibC.GetNativeEnvironmentVariable("EGL_PLATFORM")); // set natively before Dawn looked
            var data = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
            using var buffer = gles.CreateBuffer<float>(data);
            Span<byte> uniforms = stackalloc byte[4];
            KernelLaunch.WriteUniform(uniforms, 0, 1000u);
            gles.Dispatch(Double, 1000, [buffer], uniforms);
            Assert.Equal(data.Select(x => x * 2).ToArray(), buffer.Read());
        }
    }
}
