using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using KernelGen.Models.Kernels;
using static KernelGen.Kernel;

namespace KernelGen.KernelBenchmarks;

/// <summary>The yardstick of the memory-bound kernels: a plain copy, one element per invocation.</summary>
public static partial class CopyKernels
{
    [ComputeKernel(256)]
    public static void Copy(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint n, uint rowWidth)
    {
        uint i = GlobalId.Y * rowWidth + GlobalId.X;
        if (GlobalId.X >= rowWidth || i >= n) return;
        y[i] = x[i];
    }

    /// <summary>The same copy with the elementwise kernels' layout: 8 elements per invocation (see Ops.ElementGrid).</summary>
    [ComputeKernel(256)]
    public static void CopyBlocked(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint n, uint rowWidth)
    {
        if (GlobalId.X >= rowWidth) return;
        uint first = GlobalId.Y * PointwiseKernels.PerInvocation * rowWidth + GlobalId.X;
        for (uint e = 0; e < PointwiseKernels.PerInvocation; e++)
        {
            uint i = first + e * rowWidth;
            if (i >= n) return;
            y[i] = x[i];
        }
    }
}

/// <summary>
/// Elementwise, softmax, layer norm and cross-entropy over a [rows, cols] float tensor, in GB/s of compulsory traffic
/// (each input read once, each output written once), against a plain copy kernel (the baseline) and the device's
/// own buffer copy, on the same backend.
/// </summary>
[Config(typeof(Settings))]
public class MemoryBoundBenchmarks
{
    private sealed class Settings : ManualConfig
    {
        public Settings()
        {
            AddColumn(new RateColumn("GB/s", "compulsory bytes (inputs read once, outputs written once) per mean time", Bytes));
            HideColumns("Error", "StdDev", "Median", "RatioSD");
        }
    }

    /// <summary>16 MB of floats as long rows (a vocabulary's logits) and as short rows (many tokens of a narrow model).</summary>
    [Params("4096x1024", "65536x64")]
    public string Shape { get; set; } = "";

    private ComputeDevice device = null!;
    private GpuBuffer<float> x = null!, y = null!, z = null!, gamma = null!, beta = null!, mean = null!, rstd = null!, losses = null!;
    private GpuBuffer<int> targets = null!;
    private int rows, cols, n;

    private static (int Rows, int Cols) Parse(string shape)
    {
        var parts = shape.Split('x').Select(int.Parse).ToArray();
        return (parts[0], parts[1]);
    }

    /// <summary>Streams of rows*cols floats each method must move at least (rows-sized vectors counted too).</summary>
    private static double Bytes(BenchmarkCase benchmarkCase)
    {
        var (r, c) = Parse(RateColumn.Param<string>(benchmarkCase, nameof(Shape)));
        double tensor = 4.0 * r * c;
        return benchmarkCase.Descriptor.WorkloadMethod.Name switch
        {
            nameof(Add) => 3 * tensor,
            nameof(LayerNormRow) or nameof(LayerNormWorkgroup) => 2 * tensor + 8.0 * r,
            nameof(CrossEntropyRow) or nameof(CrossEntropyWorkgroup) => 2 * tensor + 8.0 * r,
            _ => 2 * tensor,
        };
    }

    [GlobalSetup]
    public void Setup()
    {
        device = ComputeDevice.OpenWebGpu();
        (rows, cols) = Parse(Shape);
        n = rows * cols;
        var random = new Random(3);
        x = device.CreateBuffer<float>(Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() * 8 - 4).ToArray());
        y = device.CreateBuffer<float>(Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray());
        z = device.CreateBuffer<float>(n);
        gamma = device.CreateBuffer<float>(Enumerable.Repeat(1f, cols).ToArray());
        beta = device.CreateBuffer<float>(cols);
        mean = device.CreateBuffer<float>(rows);
        rstd = device.CreateBuffer<float>(rows);
        losses = device.CreateBuffer<float>(rows);
        targets = device.CreateBuffer<int>(Enumerable.Range(0, rows).Select(r => r % cols).ToArray());
    }

    [GlobalCleanup]
    public void Cleanup() => device.Dispose();

    [Benchmark(Baseline = true, Description = "copy kernel (C#)")]
    public void CopyKernel()
    {
        var (grid, width) = Ops.InvocationGrid(n);
        CopyKernels.CopyKernel.Dispatch(device, grid, x, z, (uint)n, width);
        device.Synchronize();
    }

    [Benchmark(Description = "copy kernel, 8 per invocation (C#)")]
    public void CopyBlockedKernel()
    {
        var (grid, width) = Ops.ElementGrid(n);
        CopyKernels.CopyBlockedKernel.Dispatch(device, grid, x, z, (uint)n, width);
        device.Synchronize();
    }

    [Benchmark(Description = "device buffer copy")]
    public void DeviceCopy()
    {
        device.Copy(x, z);
        device.Synchronize();
    }

    [Benchmark(Description = "add (elementwise)")]
    public void Add()
    {
        Ops.Add(device, x, y, z, n);
        device.Synchronize();
    }

    [Benchmark(Description = "GELU")]
    public void Gelu()
    {
        Ops.Activate(device, ActivationKind.Gelu, x, z, n);
        device.Synchronize();
    }

    [Benchmark(Description = "softmax, row per invocation")]
    public void SoftmaxRow()
    {
        Ops.Softmax(device, x, z, rows, cols, variant: RowVariant.Row);
        device.Synchronize();
    }

    [Benchmark(Description = "softmax, workgroup per row")]
    public void SoftmaxWorkgroup()
    {
        Ops.Softmax(device, x, z, rows, cols, variant: RowVariant.Workgroup);
        device.Synchronize();
    }

    [Benchmark(Description = "layer norm, row per invocation")]
    public void LayerNormRow()
    {
        Ops.LayerNorm(device, x, gamma, beta, z, mean, rstd, rows, cols, variant: RowVariant.Row);
        device.Synchronize();
    }

    [Benchmark(Description = "layer norm, workgroup per row")]
    public void LayerNormWorkgroup()
    {
        Ops.LayerNorm(device, x, gamma, beta, z, mean, rstd, rows, cols, variant: RowVariant.Workgroup);
        device.Synchronize();
    }

    [Benchmark(Description = "cross-entropy + gradient, row")]
    public void CrossEntropyRow()
    {
        Ops.CrossEntropy(device, x, targets, losses, z, rows, cols, variant: RowVariant.Row);
        device.Synchronize();
    }

    [Benchmark(Description = "cross-entropy + gradient, workgroup")]
    public void CrossEntropyWorkgroup()
    {
        Ops.CrossEntropy(device, x, targets, losses, z, rows, cols, variant: RowVariant.Workgroup);
        device.Synchronize();
    }
}
