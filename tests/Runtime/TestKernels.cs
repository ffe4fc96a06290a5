namespace KernelGen.Tests;

/// <summary>
/// Hand-written kernels for the runtime's tests, each with a helper that does what a generated stub does
/// (<see cref="KernelLaunch.Validate"/>, pack the uniforms, <see cref="ComputeDevice.Dispatch"/>).
/// </summary>
internal static class TestKernels
{
    /// <summary><c>data[index] = value</c>: a dispatch whose effect shows which uniforms it saw.</summary>
    public static readonly KernelInfo Store = new("TestKernels.Store", """
        @group(0) @binding(0) var<storage, read_write> data: array<f32>;
        struct Params { index: u32, value: f32 }
        @group(0) @binding(1) var<uniform> params: Params;

        @compute @workgroup_size(1)
        fn main() { data[params.index] = params.value; }
        """, 1, 1, 1, [BufferAccess.ReadWrite], uniformSize: 8);

    /// <summary><c>y[i] = a * x[i] + y[i]</c> for i &lt; n (the shape of the models' Saxpy).</summary>
    public static readonly KernelInfo Saxpy = new("TestKernels.Saxpy", """
        @group(0) @binding(0) var<storage, read> x: array<f32>;
        @group(0) @binding(1) var<storage, read_write> y: array<f32>;
        struct Params { a: f32, n: u32 }
        @group(0) @binding(2) var<uniform> params: Params;

        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            if (id.x < params.n) { y[id.x] = params.a * x[id.x] + y[id.x]; }
        }
        """, 64, 1, 1, [BufferAccess.ReadOnly, BufferAccess.ReadWrite], uniformSize: 8);

    /// <summary>
    /// <c>data[i] = f(data[i])</c> iterated <c>rounds</c> times per element: a kernel slow enough that a read-back
    /// issued right after it is submitted finds it still running.
    /// </summary>
    public static readonly KernelInfo Spin = new("TestKernels.Spin", """
        @group(0) @binding(0) var<storage, read_write> data: array<u32>;
        struct Params { n: u32, rounds: u32 }
        @group(0) @binding(1) var<uniform> params: Params;

        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            if (id.x >= params.n) { return; }
            var v = data[id.x];
            for (var r = 0u; r < params.rounds; r++) { v = v * 1664525u + 1013904223u; }
            data[id.x] = v;
        }
        """, 64, 1, 1, [BufferAccess.ReadWrite], uniformSize: 8);

    /// <summary>Reads <c>vec4&lt;f32&gt;</c> elements: binding 0 has a 16-byte stride.</summary>
    public static readonly KernelInfo SumVec4 = new("TestKernels.SumVec4", """
        @group(0) @binding(0) var<storage, read> v: array<vec4<f32>>;
        @group(0) @binding(1) var<storage, read_write> sum: array<f32>;

        @compute @workgroup_size(1)
        fn main() { sum[0] = v[0].x + v[0].y + v[0].z + v[0].w; }
        """, 1, 1, 1, [BufferAccess.ReadOnly, BufferAccess.ReadWrite], uniformSize: 0);

    /// <summary>A fixed-size binding of 16 floats (64 bytes).</summary>
    public static readonly KernelInfo Fixed16 = new("TestKernels.Fixed16", """
        @group(0) @binding(0) var<storage, read_write> data: array<f32, 16>;

        @compute @workgroup_size(1)
        fn main() { data[15] = 1.0; }
        """, 1, 1, 1, [BufferAccess.ReadWrite], uniformSize: 0);

    private static readonly string[] StoreNames = ["data"];
    private static readonly string[] SaxpyNames = ["x", "y"];
    private static readonly string[] SpinNames = ["data"];

    public static void DispatchStore(ComputeDevice device, GpuBuffer<float> data, uint index, float value)
    {
        GpuBuffer[] buffers = [data];
        KernelLaunch.Validate(Store, device, 1, buffers, StoreNames);
        Span<byte> uniforms = stackalloc byte[8];
        KernelLaunch.WriteUniform(uniforms, 0, index);
        KernelLaunch.WriteUniform(uniforms, 4, value);
        device.Dispatch(Store, 1, buffers, uniforms);
    }

    /// <summary>Saxpy's uniform block: <paramref name="a"/>, then <paramref name="n"/>.</summary>
    public static byte[] SaxpyUniforms(float a, uint n)
    {
        var uniforms = new byte[8];
        KernelLaunch.WriteUniform(uniforms, 0, a);
        KernelLaunch.WriteUniform(uniforms, 4, n);
        return uniforms;
    }

    public static void DispatchSaxpy(ComputeDevice device, GpuBuffer<float> x, GpuBuffer<float> y, float a, uint n)
    {
        GpuBuffer[] buffers = [x, y];
        KernelLaunch.Validate(Saxpy, device, n, buffers, SaxpyNames);
        Span<byte> uniforms = stackalloc byte[8];
        KernelLaunch.WriteUniform(uniforms, 0, a);
        KernelLaunch.WriteUniform(uniforms, 4, n);
        device.Dispatch(Saxpy, n, buffers, uniforms);
    }

    public static void DispatchSpin(ComputeDevice device, GpuBuffer<uint> data, uint rounds)
    {
        GpuBuffer[] buffers = [data];
        uint n = (uint)data.Length;
        KernelLaunch.Validate(Spin, device, n, buffers, SpinNames);
        Span<byte> uniforms = stackalloc byte[8];
        KernelLaunch.WriteUniform(uniforms, 0, n);
        KernelLaunch.WriteUniform(uniforms, 4, rounds);
        device.Dispatch(Spin, n, buffers, uniforms);
    }

    /// <summary>What <see cref="Spin"/> computes for one element.</summary>
    public static uint SpinOnHost(uint v, uint rounds)
    {
        for (uint r = 0; r < rounds; r++) v = unchecked(v * 1664525u + 1013904223u);
        return v;
    }
}
