using static KernelGen.Kernel;

namespace KernelGen.CpuBenchmarks;

/// <summary>
/// The three benchmark kernels as KernelGen [ComputeKernel] methods. <see cref="IlgpuKernels"/> has the same
/// algorithms for ILGPU. Matrices are square, row-major, n x n with n a multiple of <see cref="Tile"/>.
/// </summary>
public static partial class KernelGenKernels
{
    public const int Tile = 16;

    /// <summary>y = a * x + y, one invocation per element.</summary>
    [ComputeKernel(64)]
    public static void Saxpy(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, float a, uint n)
    {
        uint i = GlobalId.X;
        if (i < n) y[i] = a * x[i] + y[i];
    }

    /// <summary>C = A B, one invocation per output element, reading A and B straight from the buffers.</summary>
    [ComputeKernel(Tile, Tile)]
    public static void NaiveMatmul(ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadWriteBuffer<float> c, uint n)
    {
        uint col = GlobalId.X;
        uint row = GlobalId.Y;
        if (row >= n || col >= n) return;
        float sum = 0f;
        for (uint k = 0; k < n; k++) sum += a[row * n + k] * b[k * n + col];
        c[row * n + col] = sum;
    }

    /// <summary>
    /// C = A B with 16 x 16 tiles of A and B staged in workgroup memory: each invocation loads one element of each
    /// tile, the workgroup meets at a barrier, each invocation accumulates its row of the A tile times its column of
    /// the B tile, and a second barrier protects the tiles before the next load (two barriers per tile).
    /// </summary>
    [ComputeKernel(Tile, Tile)]
    public static void TiledMatmul(ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadWriteBuffer<float> c, uint n)
    {
        var tileA = WorkgroupArray<float>(Tile * Tile);
        var tileB = WorkgroupArray<float>(Tile * Tile);
        uint tx = LocalId.X;
        uint ty = LocalId.Y;
        uint col = GlobalId.X;
        uint row = GlobalId.Y;
        float sum = 0f;
        for (uint t = 0; t < n; t += Tile)
        {
            tileA[ty * Tile + tx] = a[row * n + t + tx];
            tileB[ty * Tile + tx] = b[(t + ty) * n + col];
            WorkgroupBarrier();
            for (uint q = 0; q < Tile; q++) sum += tileA[ty * Tile + q] * tileB[q * Tile + tx];
            WorkgroupBarrier();
        }
        c[row * n + col] = sum;
    }
}
