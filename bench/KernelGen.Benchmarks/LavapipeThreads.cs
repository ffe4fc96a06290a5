using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using KernelGen.Samples;

namespace KernelGen.Benchmarks;

/// <summary>
/// (d) lavapipe's worker threads. Mesa reads <c>LP_NUM_THREADS</c> when the driver loads, so each setting is a job of
/// its own, run by BenchmarkDotNet in a child process with that environment: 0, 1, 2, and unset (Mesa's default,
/// one per core). Workloads: many tiny dispatches (100 Saxpy over 64 elements, one batch), a training-step-like mix
/// (100 dispatches over 64K elements, one batch), and one large kernel (SmoothClamp over 4M elements).
/// </summary>
[Config(typeof(Settings))]
public class LavapipeThreads
{
    private sealed class Settings : ManualConfig
    {
        public Settings()
        {
            // --job short etc. on the command line set the run lengths; these add one job per setting.
            var baseJob = Job.ShortRun;
            AddJob(baseJob.WithId("LP unset"));
            foreach (var threads in new[] { "0", "1", "2" })
                AddJob(baseJob.WithEnvironmentVariable("LP_NUM_THREADS", threads).WithId($"LP_NUM_THREADS={threads}"));
        }
    }

    private const int Large = 1 << 22;
    private const int Medium = 1 << 16;
    private ComputeDevice device = null!;
    private GpuBuffer<float> tinyX = null!, tinyY = null!, mediumX = null!, mediumY = null!, largeX = null!, largeY = null!;

    [GlobalSetup]
    public void Setup()
    {
        device = ComputeDevice.OpenWebGpu();
        var random = new Random(1);
        tinyX = device.CreateBuffer<float>(64);
        tinyY = device.CreateBuffer<float>(64);
        mediumX = device.CreateBuffer<float>(Enumerable.Range(0, Medium).Select(_ => (float)random.NextDouble()).ToArray());
        mediumY = device.CreateBuffer<float>(Medium);
        largeX = device.CreateBuffer<float>(Enumerable.Range(0, Large).Select(_ => (float)random.NextDouble() * 8 - 4).ToArray());
        largeY = device.CreateBuffer<float>(Large);
        ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, tinyX, tinyY, 1f, 64u);
        ElementwiseKernels.SmoothClampKernel.Dispatch(device, Large, largeX, largeY, 3f, (uint)Large);
        device.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var buffer in new[] { tinyX, tinyY, mediumX, mediumY, largeX, largeY }) buffer.Dispose();
        device.Dispose();
    }

    [Benchmark(Description = "100 tiny dispatches (64 elements), 1 batch + wait")]
    public void ManyTiny()
    {
        using (device.BeginBatch())
            for (int i = 0; i < 100; i++) ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, tinyX, tinyY, 1f, 64u);
        device.Synchronize();
    }

    [Benchmark(Description = "100 medium dispatches (64K elements), 1 batch + wait")]
    public void ManyMedium()
    {
        using (device.BeginBatch())
            for (int i = 0; i < 100; i++) ElementwiseKernels.SaxpyKernel.Dispatch(device, Medium, mediumX, mediumY, 0.5f, (uint)Medium);
        device.Synchronize();
    }

    [Benchmark(Description = "1 large kernel (SmoothClamp, 4M elements) + wait")]
    public void OneLarge()
    {
        ElementwiseKernels.SmoothClampKernel.Dispatch(device, Large, largeX, largeY, 3f, (uint)Large);
        device.Synchronize();
    }
}
