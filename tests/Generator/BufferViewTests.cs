using KernelGen.Generator.Tests.Kernels;
using KernelGen.Samples;
using KernelGen.Tests;
using Xunit;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Buffer views (<see cref="GpuBuffer{T}.Slice(int, int)"/>) through the generated stubs, on WebGPU and on the CPU
/// backend: the kernel sees the view's elements and length, nothing outside it changes, and bad views fail before
/// anything is dispatched.
/// </summary>
public class BufferViewTests
{
    private static ComputeDevice Gpu => WebGpuTestDevice.Device;

    public static TheoryData<string> Backends => new() { "cpu", "webgpu" };

    private static ComputeDevice DeviceFor(string backend) => backend == "cpu" ? Parity.Cpu : Gpu;

    private const int Size = 1024;

    /// <summary>What ScaleWithLengths writes into all of y's buffer when bound to the given views.</summary>
    private static float[] Expected(float[] x, float[] y, int xOffset, int xLength, int yOffset, int yLength, float a)
    {
        var result = (float[])y.Clone();
        for (int i = 0; i < yLength; i++) result[yOffset + i] = a * x[xOffset + i] + 1000f * xLength + yLength;
        return result;
    }

    [WebGpuTheory]
    [MemberData(nameof(Backends))]
    public void Kernel_sees_the_views_elements_and_length_and_nothing_else_changes(string backend)
    {
        var device = DeviceFor(backend);
        float[] x = Parity.RandomFloats(11, Size), y = Parity.RandomFloats(12, Size);
        using var xb = device.CreateBuffer<float>(x);
        using var yb = device.CreateBuffer<float>(y);
        // 256 floats = 1024 bytes: a multiple of the 256-byte offset alignment. The launch is wider than y's view.
        ViewKernels.ScaleWithLengthsKernel.Dispatch(device, 256, xb.Slice(256, 300), yb.Slice(512, 200), 2f);
        Parity.AssertClose(Expected(x, y, 256, 300, 512, 200, 2f), yb.Read(), 1e-6, backend);
    }

    [WebGpuFact]
    public void Views_give_the_same_results_on_both_backends()
    {
        float[] x = Parity.RandomFloats(13, Size), y = Parity.RandomFloats(14, Size);
        float[] Run(ComputeDevice d)
        {
            using var xb = d.CreateBuffer<float>(x);
            using var yb = d.CreateBuffer<float>(y);
            ViewKernels.ScaleWithLengthsKernel.Dispatch(d, 1000, xb.Slice(64), yb.Slice(768, 256), -0.5f);
            ViewKernels.ScaleWithLengthsKernel.Dispatch(d, 64, xb, yb.Slice(0, 64), 3f); // a whole buffer and a view
            return yb.Read();
        }
        Parity.AssertClose(Run(Parity.Cpu), Run(Gpu), 1e-6, "views");
    }

    [WebGpuTheory]
    [MemberData(nameof(Backends))]
    public void Different_views_of_the_same_buffers_in_one_batch_bind_their_own_ranges(string backend)
    {
        // The WebGPU bind group cache must key on the ranges, not only the buffers: the second dispatch would
        // otherwise write the first's range again.
        var device = DeviceFor(backend);
        float[] x = Parity.RandomFloats(15, Size), y = new float[Size];
        using var xb = device.CreateBuffer<float>(x);
        using var yb = device.CreateBuffer<float>(y);
        using (device.BeginBatch())
        {
            ViewKernels.ScaleWithLengthsKernel.Dispatch(device, 64, xb.Slice(0, 64), yb.Slice(0, 64), 1f);
            ViewKernels.ScaleWithLengthsKernel.Dispatch(device, 64, xb.Slice(0, 64), yb.Slice(256, 64), 2f);
            ViewKernels.ScaleWithLengthsKernel.Dispatch(device, 64, xb.Slice(0, 64), yb.Slice(0, 64), 1f); // a cache hit
        }
        var expected = Expected(x, Expected(x, y, 0, 64, 0, 64, 1f), 0, 64, 256, 64, 2f);
        Parity.AssertClose(expected, yb.Read(), 1e-6, backend);
    }

    [WebGpuTheory]
    [MemberData(nameof(Backends))]
    public void Upload_read_copy_and_clear_work_on_views(string backend)
    {
        var device = DeviceFor(backend);
        using var buffer = device.CreateBuffer<int>(16);
        var middle = buffer.Slice(4, 8);
        middle.Upload([1, 2, 3, 4, 5, 6, 7, 8]);
        middle.Slice(6).Upload([70], offset: 1); // a view of a view: element 4 + 6 + 1 = 11
        Assert.Equal([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 70, 0, 0, 0, 0], buffer.Read());
        Assert.Equal([3, 4, 5], middle.Slice(2, 3).Read());
        var some = new int[2];
        middle.ReadInto(some, offset: 6);
        Assert.Equal([7, 70], some);

        device.Copy(middle.Slice(0, 4), buffer.Slice(12, 4)); // same buffer, ranges apart
        device.Clear(middle.Slice(1, 2));
        Assert.Equal([0, 0, 0, 0, 1, 0, 0, 4, 5, 6, 7, 70, 1, 2, 3, 4], buffer.Read());

        Assert.Throws<ArgumentOutOfRangeException>(() => middle.Upload(new int[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Slice(10, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => middle.Slice(-1, 2));
        Assert.Throws<ArgumentException>(() => device.Copy(middle, buffer.Slice(0, 4)));
    }

    [WebGpuTheory]
    [MemberData(nameof(Backends))]
    public void A_view_at_an_unaligned_offset_is_refused_before_dispatch_saying_what_to_do(string backend)
    {
        var device = DeviceFor(backend);
        using var xb = device.CreateBuffer<float>(Size);
        using var yb = device.CreateBuffer<float>(Parity.RandomFloats(16, Size));
        var before = yb.Read();
        var error = Assert.Throws<KernelLaunchException>(() =>
            ViewKernels.ScaleWithLengthsKernel.Dispatch(device, 64, xb.Slice(3, 64), yb.Slice(0, 64), 1f));
        Assert.Contains("'x'", error.Message);
        Assert.Contains($"multiple of {device.StorageOffsetAlignment} bytes", error.Message);
        Assert.Contains($"multiple of {device.StorageOffsetAlignment / 4} elements", error.Message);
        Assert.Equal(before, yb.Read()); // nothing ran
    }

    [WebGpuTheory]
    [MemberData(nameof(Backends))]
    public void Views_of_disposed_buffers_and_default_views_are_refused(string backend)
    {
        var device = DeviceFor(backend);
        using var xb = device.CreateBuffer<float>(Size);
        var yb = device.CreateBuffer<float>(Size);
        var view = yb.Slice(256, 64);
        yb.Dispose();
        Assert.Contains("was disposed", Assert.Throws<KernelLaunchException>(() =>
            ViewKernels.ScaleWithLengthsKernel.Dispatch(device, 64, xb, view, 1f)).Message);
        Assert.Contains("'y' is null", Assert.Throws<KernelLaunchException>(() =>
            ViewKernels.ScaleWithLengthsKernel.Dispatch(device, 64, xb, default(GpuBufferView<float>), 1f)).Message);
    }

    [WebGpuFact]
    public void Two_views_of_one_buffer_one_writable_are_refused_on_webgpu()
    {
        using var buffer = Gpu.CreateBuffer<float>(Size);
        var error = Assert.Throws<KernelLaunchException>(() =>
            ViewKernels.ScaleWithLengthsKernel.Dispatch(Gpu, 64, buffer.Slice(0, 64), buffer.Slice(256, 64), 1f));
        Assert.Contains("even through views of separate ranges", error.Message);
    }

    [WebGpuFact]
    public void Stub_dispatches_into_a_batch_allocate_nothing()
    {
        using var x = Gpu.CreateBuffer<float>(256);
        using var y = Gpu.CreateBuffer<float>(256);
        var yView = y.Slice(64, 128);
        const int Dispatches = 1000; // fewer than a submit's uniform ring holds: the batch never submits early here
        long Measure()
        {
            var batch = Gpu.BeginBatch();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Dispatches; i++)
            {
                ElementwiseKernels.SaxpyKernel.Dispatch(Gpu, 64, x, y, 1f + i, 64u);
                ElementwiseKernels.SaxpyKernel.Dispatch(Gpu, 64, x, yView, 1f, 64u);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            batch.Dispose();
            Assert.Equal(2 * Dispatches, batch.DispatchCount);
            return allocated;
        }
        Measure(); // warm-up: pipelines, bind groups, the recorder's host ring grow once
        Measure();
        Assert.Equal(0, Measure());
    }
}
