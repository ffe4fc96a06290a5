using System.Numerics;
using System.Runtime.InteropServices;

namespace KernelGen.KernelBenchmarks;

/// <summary>
/// The yardstick: a matmul written by hand in WGSL (never in the product), with 4 x 4 register blocks and vec4 loads,
/// dispatched through a hand-made <see cref="KernelInfo"/>. A is M x K and B is K x N, row-major, with K and N
/// multiples of 4 (buffers of <see cref="Vector4"/>, so each load is 16 bytes). Each invocation computes rows
/// 4*gid.y .. +3 and the 4 columns of vec4 column gid.x; per 4 steps along K it makes 8 vec4 loads and 64 multiply-adds.
/// </summary>
public static class HandWrittenMatmul
{
    public const string Wgsl = """
        struct Params { m: u32, n: u32, k: u32, pad: u32 }
        @group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
        @group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
        @group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;
        @group(0) @binding(3) var<uniform> params: Params;

        @compute @workgroup_size(8, 8, 1)
        fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
          let n4 = params.n / 4u;
          let k4 = params.k / 4u;
          let col = gid.x;
          let row = gid.y * 4u;
          if (col >= n4 || row >= params.m) { return; }
          let r1 = min(row + 1u, params.m - 1u);
          let r2 = min(row + 2u, params.m - 1u);
          let r3 = min(row + 3u, params.m - 1u);
          var c0 = vec4<f32>(0.0); var c1 = vec4<f32>(0.0); var c2 = vec4<f32>(0.0); var c3 = vec4<f32>(0.0);
          for (var p = 0u; p < k4; p++) {
            let a0 = a[row * k4 + p]; let a1 = a[r1 * k4 + p]; let a2 = a[r2 * k4 + p]; let a3 = a[r3 * k4 + p];
            let b0 = b[(4u * p) * n4 + col]; let b1 = b[(4u * p + 1u) * n4 + col];
            let b2 = b[(4u * p + 2u) * n4 + col]; let b3 = b[(4u * p + 3u) * n4 + col];
            c0 += a0.x * b0 + a0.y * b1 + a0.z * b2 + a0.w * b3;
            c1 += a1.x * b0 + a1.y * b1 + a1.z * b2 + a1.w * b3;
            c2 += a2.x * b0 + a2.y * b1 + a2.z * b2 + a2.w * b3;
            c3 += a3.x * b0 + a3.y * b1 + a3.z * b2 + a3.w * b3;
          }
          c[row * n4 + col] = c0;
          if (row + 1u < params.m) { c[(row + 1u) * n4 + col] = c1; }
          if (row + 2u < params.m) { c[(row + 2u) * n4 + col] = c2; }
          if (row + 3u < params.m) { c[(row + 3u) * n4 + col] = c3; }
        }
        """;

    public static readonly KernelInfo Info = new("bench.HandWrittenMatmul", Wgsl, 8, 8, 1,
        [BufferAccess.ReadOnly, BufferAccess.ReadOnly, BufferAccess.ReadWrite], uniformSize: 16);

    public static void Dispatch(ComputeDevice device, GpuBuffer<Vector4> a, GpuBuffer<Vector4> b, GpuBuffer<Vector4> c, int m, int n, int k)
    {
        if (n % 4 != 0 || k % 4 != 0) throw new ArgumentException("The yardstick needs N and K multiples of 4.");
        Span<byte> uniforms = stackalloc byte[16];
        uniforms.Clear();
        MemoryMarshal.Write(uniforms, (uint)m);
        MemoryMarshal.Write(uniforms[4..], (uint)n);
        MemoryMarshal.Write(uniforms[8..], (uint)k);
        GpuBuffer[] buffers = [a, b, c];
        device.Dispatch(Info, new Grid((uint)(n / 4), (uint)((m + 3) / 4)), buffers, uniforms);
    }
}
