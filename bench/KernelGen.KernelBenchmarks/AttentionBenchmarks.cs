using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using KernelGen.Models.Kernels;

namespace KernelGen.KernelBenchmarks;

/// <summary>
/// Fused attention (online softmax, no score matrix) against the composed version (batched matmul, softmax,
/// matmul), causal, 8 batch-heads of dimension 32, sequence lengths 128 to 512: forward, and forward + backward.
/// Temporaries come from a warm BufferPool, so no buffer is created inside the timed loop. The memory column is the
/// device memory each needs beyond q, k, v, o and their gradients.
/// </summary>
[Config(typeof(Settings))]
public class AttentionBenchmarks
{
    private const int BatchHeads = 8, HeadDim = 32;

    private sealed class Settings : ManualConfig
    {
        public Settings()
        {
            AddColumn(new TextColumn("Extra memory", "device memory beyond the operands and their gradients", ExtraMemory));
            HideColumns("Error", "StdDev", "Median", "RatioSD");
        }
    }

    [Params(128, 256, 512)]
    public int T { get; set; }

    private ComputeDevice device = null!;
    private BufferPool pool = null!;
    private GpuBuffer<float> q = null!, k = null!, v = null!, o = null!, dO = null!, dq = null!, dk = null!, dv = null!, lse = null!, probs = null!;
    private AttentionShape shape;

    private static string ExtraMemory(BenchmarkCase benchmarkCase)
    {
        long t = RateColumn.Param<int>(benchmarkCase, nameof(T));
        long rowFloats = BatchHeads * t, scoreFloats = BatchHeads * t * t;
        long floats = benchmarkCase.Descriptor.WorkloadMethod.Name switch
        {
            nameof(FusedForward) => rowFloats,                       // lse
            nameof(FusedForwardBackward) => 2 * rowFloats,           // lse, delta
            nameof(ComposedForward) => 2 * scoreFloats,              // scores, probs
            _ => 3 * scoreFloats,                                    // probs, dP, dS (scores freed after the forward)
        };
        return floats * 4 >= 1 << 20 ? $"{floats * 4 / (1024.0 * 1024):0.0} MiB" : $"{floats * 4 / 1024.0:0.0} KiB";
    }

    [GlobalSetup]
    public void Setup()
    {
        device = ComputeDevice.OpenWebGpu();
        pool = new BufferPool(device);
        shape = new AttentionShape(BatchHeads, T, T, HeadDim, Causal: true);
        int size = (int)shape.QuerySize;
        var random = new Random(4);
        float[] Random(int length) => Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        q = device.CreateBuffer<float>(Random(size));
        k = device.CreateBuffer<float>(Random(size));
        v = device.CreateBuffer<float>(Random(size));
        dO = device.CreateBuffer<float>(Random(size));
        o = device.CreateBuffer<float>(size);
        dq = device.CreateBuffer<float>(size);
        dk = device.CreateBuffer<float>(size);
        dv = device.CreateBuffer<float>(size);
        lse = device.CreateBuffer<float>(BatchHeads * T);
        probs = device.CreateBuffer<float>((int)shape.ScoreSize);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        pool.Dispose();
        device.Dispose();
    }

    [Benchmark(Baseline = true, Description = "fused forward")]
    public void FusedForward()
    {
        Ops.Attention(device, q, k, v, o, lse, shape);
        device.Synchronize();
    }

    [Benchmark(Description = "composed forward")]
    public void ComposedForward()
    {
        Ops.AttentionComposed(device, q, k, v, o, probs, shape, pool);
        device.Synchronize();
    }

    [Benchmark(Description = "fused forward + backward")]
    public void FusedForwardBackward()
    {
        using (device.BeginBatch())
        {
            Ops.Attention(device, q, k, v, o, lse, shape);
            Ops.AttentionBackward(device, q, k, v, o, lse, dO, dq, dk, dv, shape, pool: pool);
        }
        device.Synchronize();
    }

    [Benchmark(Description = "composed forward + backward")]
    public void ComposedForwardBackward()
    {
        using (device.BeginBatch())
        {
            Ops.AttentionComposed(device, q, k, v, o, probs, shape, pool);
            Ops.AttentionComposedBackward(device, q, k, v, probs, dO, dq, dk, dv, shape, pool: pool);
        }
        device.Synchronize();
    }
}
