using BenchmarkDotNet.Attributes;
using KernelGen.Samples;

namespace KernelGen.Benchmarks;

/// <summary>
/// (a) Per-dispatch cost of recording a generated stub's dispatch into a batch, against raw Dawn calls doing the
/// same work. Both encode 1000 dispatches of Saxpy (64 invocations) into one pass and drop the command buffer
/// without submitting, so only the host side is timed (OperationsPerInvoke: figures are per dispatch).
/// </summary>
[MemoryDiagnoser]
public class DispatchOverhead
{
    private const int Dispatches = 1000;
    private ComputeDevice device = null!;
    private GpuBuffer<float> x = null!, y = null!;
    private RawDawnSaxpy raw = null!;

    [GlobalSetup]
    public void Setup()
    {
        device = ComputeDevice.OpenWebGpu();
        x = device.CreateBuffer<float>(64);
        y = device.CreateBuffer<float>(64);
        raw = new RawDawnSaxpy(device, x, y);
        ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, x, y, 1f, 64u); // compile the pipeline
        device.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        raw.Dispose();
        x.Dispose();
        y.Dispose();
        device.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Dispatches, Description = "raw Dawn calls, encode only")]
    public void RawDawn() => raw.Encode(Dispatches, 64, submit: false);

    [Benchmark(OperationsPerInvoke = Dispatches, Description = "generated stub in a batch, encode only")]
    public void StubInBatch()
    {
        var batch = device.BeginBatch();
        for (int i = 0; i < Dispatches; i++) ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, x, y, 1f + i, 64u);
        batch.Discard();
    }
}

/// <summary>
/// (b) Submit + wait latency of one tiny dispatch (Saxpy over 64 elements), raw and through the stub, and
/// (c) 100 such dispatches as one batch against 100 separate submits (each followed by one wait at the end).
/// </summary>
public class SubmitLatency
{
    private ComputeDevice device = null!;
    private GpuBuffer<float> x = null!, y = null!;
    private RawDawnSaxpy raw = null!;

    [GlobalSetup]
    public void Setup()
    {
        device = ComputeDevice.OpenWebGpu();
        x = device.CreateBuffer<float>(64);
        y = device.CreateBuffer<float>(64);
        raw = new RawDawnSaxpy(device, x, y);
        ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, x, y, 1f, 64u);
        device.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        raw.Dispose();
        x.Dispose();
        y.Dispose();
        device.Dispose();
    }

    [Benchmark(Description = "1 tiny dispatch, raw Dawn: submit + wait")]
    public void OneDispatchRaw()
    {
        raw.Encode(1, 64, submit: true);
        raw.Wait();
    }

    [Benchmark(Baseline = true, Description = "1 tiny dispatch, stub: submit + wait")]
    public void OneDispatchStub()
    {
        ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, x, y, 1f, 64u);
        device.Synchronize();
    }

    [Benchmark(Description = "100 tiny dispatches, 100 submits + wait")]
    public void HundredSubmits()
    {
        for (int i = 0; i < 100; i++) ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, x, y, 1f, 64u);
        device.Synchronize();
    }

    [Benchmark(Description = "100 tiny dispatches, 1 batch + wait")]
    public void HundredInOneBatch()
    {
        using (device.BeginBatch())
            for (int i = 0; i < 100; i++) ElementwiseKernels.SaxpyKernel.Dispatch(device, 64, x, y, 1f, 64u);
        device.Synchronize();
    }
}
