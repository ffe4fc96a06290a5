using BenchmarkDotNet.Attributes;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace KernelGen.CpuBenchmarks;

// One class per kernel; in each, one benchmark per implementation. A benchmark is one launch over the whole problem
// and the wait for it (KernelGen's CPU dispatch returns when the kernel is done; ILGPU's Synchronize()). Each
// implementation has its own [GlobalSetup], so a KernelGen run never starts ILGPU's threads and the other way round.
// Every setup checks its result against a float64 reference once before anything is timed.

/// <summary>The ILGPU CPU devices the benchmarks use (see docs/benchmarks-cpu.md for how they were chosen).</summary>
public static class IlgpuDevice
{
    /// <summary>
    /// Saxpy and the naive matmul: ILGPU's default CPU device (<c>CPUDeviceKind.Default</c>: warp 4, 4 warps,
    /// 1 multiprocessor, 16 threads), faster for them than the 256-thread device the tiled kernel needs.
    /// <c>KERNELGEN_ILGPU_DEVICE</c> (default, nvidia, amd, intel, or warp,warps,multiprocessors) picks another.
    /// </summary>
    public static string Name => Setting("KERNELGEN_ILGPU_DEVICE", "default");

    /// <summary>
    /// The tiled matmul: 4 threads per warp, 64 warps, 1 multiprocessor (256 threads), the smallest device that
    /// takes its 16 x 16 groups (the default device's groups stop at 16). <c>KERNELGEN_ILGPU_TILED_DEVICE</c> picks another.
    /// </summary>
    public static string TiledName => Setting("KERNELGEN_ILGPU_TILED_DEVICE", "4,64,1");

    public static IlgpuCpu Open(bool tiled = false) => new(Probe.ParseDevice(tiled ? TiledName : Name));

    private static string Setting(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback;
}

/// <summary>y = 2 x + y over 1M floats (2 FLOP per element).</summary>
public class Saxpy
{
    private readonly float[] x = Data.Random(Data.SaxpyLength, 1);
    private readonly float[] y = Data.Random(Data.SaxpyLength, 2);
    private ComputeDevice? device;
    private GpuBuffer<float>? kx, ky;
    private IlgpuCpu? ilgpu;
    private MemoryBuffer1D<float, Stride1D.Dense>? ix, iy;

    [GlobalSetup(Target = nameof(KernelGen))]
    public void SetupKernelGen()
    {
        device = ComputeDevice.OpenCpu();
        kx = device.CreateBuffer<float>(x);
        ky = device.CreateBuffer<float>(y);
        KernelGen();
        Data.Check("KernelGen saxpy", ky.Read(), Data.Saxpy(x, y, Data.SaxpyA));
    }

    [GlobalSetup(Target = nameof(Ilgpu))]
    public void SetupIlgpu()
    {
        ilgpu = IlgpuDevice.Open();
        ix = ilgpu.Accelerator.Allocate1D(x);
        iy = ilgpu.Accelerator.Allocate1D(y);
        Ilgpu();
        Data.Check("ILGPU saxpy", iy.GetAsArray1D(), Data.Saxpy(x, y, Data.SaxpyA));
    }

    [Benchmark]
    public void KernelGen() =>
        KernelGenKernels.SaxpyKernel.Dispatch(device!, Data.SaxpyLength, kx!, ky!, Data.SaxpyA, Data.SaxpyLength);

    [Benchmark(Baseline = true)]
    public void Ilgpu()
    {
        ilgpu!.Saxpy(Data.SaxpyLength, ix!.View, iy!.View, Data.SaxpyA);
        ilgpu.Accelerator.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        kx?.Dispose();
        ky?.Dispose();
        device?.Dispose();
        ix?.Dispose();
        iy?.Dispose();
        ilgpu?.Dispose();
    }
}

/// <summary>Square matrices A, B, C (n x n, row-major) for the matmul benchmarks, on either runtime.</summary>
public abstract class MatmulBenchmark
{
    protected float[] A = [], B = [], Expected = [];
    protected ComputeDevice? Device;
    protected GpuBuffer<float>? KA, KB, KC;
    protected IlgpuCpu? IlgpuCpu;
    protected MemoryBuffer1D<float, Stride1D.Dense>? IA, IB, IC;

    public abstract int Size { get; }

    protected void Inputs()
    {
        A = Data.Random(Size * Size, 3);
        B = Data.Random(Size * Size, 4);
        Expected = Data.Matmul(A, B, Size);
    }

    protected void OpenKernelGen(CpuOptions? options = null)
    {
        Inputs();
        Device = ComputeDevice.OpenCpu(options);
        KA = Device.CreateBuffer<float>(A);
        KB = Device.CreateBuffer<float>(B);
        KC = Device.CreateBuffer<float>(Size * Size);
    }

    protected void OpenIlgpu(bool tiled = false)
    {
        Inputs();
        IlgpuCpu = IlgpuDevice.Open(tiled);
        IA = IlgpuCpu.Accelerator.Allocate1D(A);
        IB = IlgpuCpu.Accelerator.Allocate1D(B);
        IC = IlgpuCpu.Accelerator.Allocate1D<float>(Size * Size);
    }

    protected void CheckKernelGen(string what) => Data.Check(what, KC!.Read(), Expected);

    protected void CheckIlgpu(string what) => Data.Check(what, IC!.GetAsArray1D(), Expected);

    [GlobalCleanup]
    public void Cleanup()
    {
        KA?.Dispose();
        KB?.Dispose();
        KC?.Dispose();
        Device?.Dispose();
        IA?.Dispose();
        IB?.Dispose();
        IC?.Dispose();
        IlgpuCpu?.Dispose();
    }
}

/// <summary>C = A B, one invocation per output element (2 n^3 FLOP).</summary>
public class NaiveMatmul : MatmulBenchmark
{
    [Params(128, 256)]
    public int N { get; set; }

    public override int Size => N;

    [GlobalSetup(Target = nameof(KernelGen))]
    public void SetupKernelGen()
    {
        OpenKernelGen();
        KernelGen();
        CheckKernelGen("KernelGen naive matmul");
    }

    [GlobalSetup(Target = nameof(Ilgpu))]
    public void SetupIlgpu()
    {
        OpenIlgpu();
        Ilgpu();
        CheckIlgpu("ILGPU naive matmul");
    }

    [Benchmark]
    public void KernelGen() => KernelGenKernels.NaiveMatmulKernel.Dispatch(Device!, (N, N), KA!, KB!, KC!, (uint)N);

    [Benchmark(Baseline = true)]
    public void Ilgpu()
    {
        IlgpuCpu!.NaiveMatmul(new Index2D(N, N), IA!.View, IB!.View, IC!.View, N);
        IlgpuCpu.Accelerator.Synchronize();
    }
}

/// <summary>
/// C = A B with 16 x 16 tiles in workgroup memory and two barriers per tile, KernelGen's phased CPU code (2 n^3 FLOP).
/// The slow implementations of the same kernel are in <see cref="TiledMatmulSlow"/>.
/// </summary>
public class TiledMatmul : MatmulBenchmark
{
    [Params(128, 256)]
    public int N { get; set; }

    public override int Size => N;

    [GlobalSetup(Target = nameof(KernelGen))]
    public void SetupKernelGen()
    {
        OpenKernelGen();
        KernelGen();
        CheckKernelGen("KernelGen tiled matmul");
    }

    [Benchmark]
    public void KernelGen() => KernelGenKernels.TiledMatmulKernel.Dispatch(Device!, (N, N), KA!, KB!, KC!, (uint)N);
}

/// <summary>
/// The tiled matmul where every barrier is an OS-thread barrier: ILGPU's CPU accelerator, and KernelGen's sequential
/// (debug) mode, one thread per invocation. Seconds per launch, so fewer warm-up runs and only n = 128.
/// </summary>
[WarmupCount(1)]
public class TiledMatmulSlow : MatmulBenchmark
{
    [Params(128)]
    public int N { get; set; }

    public override int Size => N;

    [GlobalSetup(Target = nameof(KernelGenSequential))]
    public void SetupKernelGenSequential()
    {
        OpenKernelGen(new CpuOptions { Sequential = true });
        KernelGenSequential();
        CheckKernelGen("KernelGen tiled matmul, sequential mode");
    }

    [GlobalSetup(Target = nameof(Ilgpu))]
    public void SetupIlgpu()
    {
        OpenIlgpu(tiled: true);
        Ilgpu();
        CheckIlgpu("ILGPU tiled matmul");
    }

    [Benchmark]
    public void KernelGenSequential() => KernelGenKernels.TiledMatmulKernel.Dispatch(Device!, (N, N), KA!, KB!, KC!, (uint)N);

    [Benchmark(Baseline = true)]
    public void Ilgpu()
    {
        IlgpuCpu!.RunTiled(N, IA!.View, IB!.View, IC!.View);
        IlgpuCpu.Accelerator.Synchronize();
    }
}
