using System.Diagnostics;
using KernelGen.Samples;
using KernelGen.WebGpu;

namespace KernelGen.Benchmarks;

/// <summary>
/// <c>KernelGen.Benchmarks overhead-ab [rounds]</c>: the overhead benchmark (a) measured the way a noisy shared
/// machine allows: rounds of 1000 encoded dispatches alternate between the variants, so load that comes and goes
/// hits all alike; the report gives the minimum and median per dispatch and the median of the per-round ratios.
/// Beside raw Dawn and the generated stub it times the layers in between, to show where the overhead is: the batch
/// recorder alone (pipeline and bind group given), <see cref="ComputeDevice.Dispatch"/> alone (lock, checks, caches,
/// recorder) and <see cref="KernelLaunch.Validate"/> alone (the full checks of a launch, which the stub's
/// <see cref="KernelLaunch.Launch"/> makes for a launch that does not repeat the kernel's previous one).
/// </summary>
internal static class InterleavedOverhead
{
    private const int N = 1000;

    public static void Run(int rounds)
    {
        using var device = ComputeDevice.OpenWebGpu();
        using var x = device.CreateBuffer<float>(64);
        using var y = device.CreateBuffer<float>(64);
        using var raw = new RawDawnSaxpy(device, x, y);
        var info = ElementwiseKernels.SaxpyKernel.Info;
        ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, x, y, 1f, 64u);
        device.Synchronize();

        var webGpu = (WebGpuDevice)device;
        var pipeline = (KernelPipeline)info.PipelineCache!;
        var bindGroup = pipeline.BindGroupFor(webGpu.NativeDevice,
            [BufferBinding.Whole(((NativeBuffer)x.Storage).Handle), BufferBinding.Whole(((NativeBuffer)y.Storage).Handle)], webGpu.UniformRing);
        var recorder = new BatchRecorder(webGpu);
        GpuBufferView[] buffers = [(GpuBufferView<float>)x, (GpuBufferView<float>)y];
        var uniforms = new byte[16];

        var variants = new (string Name, Action Run)[]
        {
            ("raw Dawn calls", () => raw.Encode(N, 64, submit: false)),
            ("generated stub in a batch", () =>
            {
                var batch = device.BeginBatch();
                for (int i = 0; i < N; i++) ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, x, y, 1f + i, 64u);
                batch.Discard();
            }),
            ("  ComputeDevice.Dispatch alone", () =>
            {
                var batch = device.BeginBatch();
                for (int i = 0; i < N; i++) device.Dispatch(info, 64, buffers, uniforms);
                batch.Discard();
            }),
            ("  batch recorder alone", () =>
            {
                for (int i = 0; i < N; i++) recorder.RecordDispatch(pipeline, bindGroup, uniforms, new UInt3(1, 1, 1));
                recorder.Abandon();
            }),
            ("  KernelLaunch.Validate alone", () =>
            {
                for (int i = 0; i < N; i++) KernelLaunch.Validate(info, device, 64, buffers);
            }),
        };
        var times = variants.Select(_ => new List<double>()).ToArray();
        var ratios = new List<double>();
        for (int round = -10; round < rounds; round++) // 10 rounds of warm-up
        {
            var perDispatch = new double[variants.Length];
            for (int v = 0; v < variants.Length; v++)
            {
                long start = Stopwatch.GetTimestamp();
                variants[v].Run();
                perDispatch[v] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / N;
            }
            if (round < 0) continue;
            for (int v = 0; v < variants.Length; v++) times[v].Add(perDispatch[v]);
            ratios.Add(perDispatch[1] / perDispatch[0]);
        }
        recorder.Dispose();

        Console.WriteLine($"{device.Description}; {rounds} alternating rounds of {N} encoded Saxpy dispatches (64 invocations)");
        Console.WriteLine("| per dispatch | min | median |");
        Console.WriteLine("| --- | ---: | ---: |");
        for (int v = 0; v < variants.Length; v++)
            Console.WriteLine($"| {variants[v].Name} | {times[v].Min():0.000} µs | {Median(times[v]):0.000} µs |");
        Console.WriteLine($"| ratio stub / raw | {times[1].Min() / times[0].Min():0.00} (of minimums) | {Median(ratios):0.00} (median of per-round ratios) |");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
