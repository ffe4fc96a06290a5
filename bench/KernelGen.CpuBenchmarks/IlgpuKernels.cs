using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace KernelGen.CpuBenchmarks;

/// <summary>
/// The same three kernels for ILGPU 1.5.3, and an ILGPU CPU accelerator with them loaded. Saxpy and the naive
/// matmul are implicitly grouped (ILGPU picks the group size, the idiomatic way to write them); the tiled matmul is
/// explicitly grouped in 16 x 16 groups with <see cref="SharedMemory"/> and <see cref="Group.Barrier"/>.
/// </summary>
public static class IlgpuKernels
{
    public const int Tile = KernelGenKernels.Tile;

    public static void Saxpy(Index1D i, ArrayView<float> x, ArrayView<float> y, float a) => y[i] = a * x[i] + y[i];

    public static void NaiveMatmul(Index2D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int n)
    {
        int col = index.X;
        int row = index.Y;
        float sum = 0f;
        for (int k = 0; k < n; k++) sum += a[row * n + k] * b[k * n + col];
        c[row * n + col] = sum;
    }

    public static void TiledMatmul(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int n)
    {
        var tileA = SharedMemory.Allocate<float>(Tile * Tile);
        var tileB = SharedMemory.Allocate<float>(Tile * Tile);
        int tx = Group.IdxX;
        int ty = Group.IdxY;
        int col = ILGPU.Grid.GlobalIndex.X;
        int row = ILGPU.Grid.GlobalIndex.Y;
        float sum = 0f;
        for (int t = 0; t < n; t += Tile)
        {
            tileA[ty * Tile + tx] = a[row * n + t + tx];
            tileB[ty * Tile + tx] = b[(t + ty) * n + col];
            Group.Barrier();
            for (int q = 0; q < Tile; q++) sum += tileA[ty * Tile + q] * tileB[q * Tile + tx];
            Group.Barrier();
        }
        c[row * n + col] = sum;
    }
}

/// <summary>An ILGPU context and CPU accelerator with the three kernels loaded (compiled once, here).</summary>
public sealed class IlgpuCpu : IDisposable
{
    private readonly Context context;

    public IlgpuCpu(CPUDevice device)
    {
        context = Context.Create(builder => builder.CPU(device));
        Accelerator = context.CreateCPUAccelerator(0, CPUAcceleratorMode.Parallel);
        Saxpy = Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, float>(IlgpuKernels.Saxpy);
        NaiveMatmul = Accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(IlgpuKernels.NaiveMatmul);
        TiledMatmul = Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(IlgpuKernels.TiledMatmul);
    }

    public CPUAccelerator Accelerator { get; }

    public Action<Index1D, ArrayView<float>, ArrayView<float>, float> Saxpy { get; }

    public Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> NaiveMatmul { get; }

    public Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> TiledMatmul { get; }

    public void RunTiled(int n, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c) =>
        TiledMatmul(new KernelConfig(new Index2D(n / IlgpuKernels.Tile, n / IlgpuKernels.Tile), new Index2D(IlgpuKernels.Tile, IlgpuKernels.Tile)), a, b, c, n);

    public void Dispose()
    {
        Accelerator.Dispose();
        context.Dispose();
    }
}
