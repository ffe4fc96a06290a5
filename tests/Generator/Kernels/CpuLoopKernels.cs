using static KernelGen.Kernel;

namespace KernelGen.Generator.Tests.Kernels;

/// <summary>
/// Kernels for the CPU backend's generated work-item loops (<c>CpuWorkgroup</c>): early returns, loops with break
/// and continue, every id in 1D, 2D and 3D workgroups, and locals that live across barriers next to locals that do
/// not. <see cref="CpuLoopTests"/> runs each through the loops and through the kernel's own C# method.
/// </summary>
public static partial class CpuLoopKernels
{
    /// <summary>1D: returns early past n; a loop with break and continue, a while and a do-while, all per invocation.</summary>
    [ComputeKernel(64)]
    public static void Steps(ReadOnlyBuffer<int> x, ReadWriteBuffer<int> y, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        int v = x[i];
        int steps = 0;
        for (int k = 0; k < 50; k++)
        {
            if (v == 1) break;
            steps++;
            if ((v & 1) == 0)
            {
                v >>= 1;
                continue;
            }
            v = 3 * v + 1;
        }
        int root = 0;
        while (root * root < steps) root++;
        int digits = 0;
        do
        {
            digits++;
            v /= 10;
        } while (v != 0);
        if (steps == 0) return;
        y[i] = steps * 10_000 + root * 100 + digits * 10 + (int)(LocalIndex % 10u);
    }

    /// <summary>2D: every id of every invocation inside width x height, four values per invocation.</summary>
    [ComputeKernel(8, 4)]
    public static void Ids2D(ReadWriteBuffer<uint> output, uint width, uint height)
    {
        uint x = GlobalId.X;
        uint y = GlobalId.Y;
        if (x >= width || y >= height) return;
        uint o = (y * width + x) * 4u;
        output[o] = LocalId.X + 10u * LocalId.Y + 100u * LocalId.Z;
        output[o + 1u] = WorkgroupId.X + 100u * WorkgroupId.Y + 10_000u * WorkgroupId.Z;
        output[o + 2u] = LocalIndex;
        output[o + 3u] = NumWorkgroups.X * 1000u + NumWorkgroups.Y;
    }

    /// <summary>3D: the ids as whole vectors, inside sx x sy x sz.</summary>
    [ComputeKernel(4, 2, 2)]
    public static void Ids3D(ReadWriteBuffer<uint> output, uint sx, uint sy, uint sz)
    {
        UInt3 g = GlobalId;
        UInt3 l = LocalId;
        if (g.X >= sx || g.Y >= sy || g.Z >= sz) return;
        uint o = ((g.Z * sy + g.Y) * sx + g.X) * 3u;
        output[o] = l.X + 10u * l.Y + 100u * l.Z;
        output[o + 1u] = WorkgroupId.X + 100u * WorkgroupId.Y + 10_000u * WorkgroupId.Z;
        output[o + 2u] = LocalIndex * 1000u + NumWorkgroups.Z;
    }

    /// <summary>
    /// 2D with barriers: <c>carried</c> and <c>inside</c> live across barriers, <c>mine</c>, <c>neighbour</c> and
    /// <c>k</c> only inside one phase. Each round reads the tile transposed (other invocations' writes); the loop
    /// over the row skips the diagonal (continue) and stops early past a threshold (break). Invocations outside the
    /// matrix return after the last barrier.
    /// </summary>
    [ComputeKernel(8, 8)]
    public static void Rounds(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint width, uint height, uint rounds)
    {
        var tile = WorkgroupArray<float>(64);
        uint lx = LocalId.X;
        uint ly = LocalId.Y;
        uint gx = GlobalId.X;
        uint gy = GlobalId.Y;
        bool inside = gx < width && gy < height;
        float carried = 0f;
        for (uint r = 0; r < rounds; r++)
        {
            float mine = inside ? x[gy * width + gx] * (r + 1) : 0f;
            tile[ly * 8 + lx] = mine + carried;
            WorkgroupBarrier();
            float neighbour = 0f;
            for (uint k = 0; k < 8; k++)
            {
                if (k == lx) continue;
                neighbour += tile[lx * 8 + k];
                if (neighbour > 40f) break;
            }
            carried = carried * 0.5f + neighbour;
            WorkgroupBarrier();
        }
        if (!inside) return;
        y[gy * width + gx] = carried;
    }

    /// <summary>
    /// Atomics from every workgroup at once (counts[0..7]), and a plain read and write of the same atomic buffer
    /// (WGSL: atomicLoad / atomicStore) by invocation 0 only, at counts[8].
    /// </summary>
    [ComputeKernel(32)]
    public static void CountLowBits(ReadOnlyBuffer<int> x, ReadWriteBuffer<uint> counts, ReadWriteBuffer<int> largest, uint n)
    {
        uint i = GlobalId.X;
        if (i == 0) counts[8] = counts[8] + 100u;
        if (i >= n) return;
        uint before = Atomic.Add(counts, (uint)(x[i] & 7), 1u);
        Atomic.Max(largest, 0u, x[i]);
        if (before > n) counts[9] = 1u; // never: an old value is below n
    }
}
