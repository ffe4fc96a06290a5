using KernelGen.Native;
using KernelGen.WebGpu;
using Xunit;

namespace KernelGen.Tests;

/// <summary>Uploads inside a batch are recorded in order with its dispatches, without an extra submit.</summary>
public class BatchUploadTests
{
    private static ComputeDevice Device => WebGpuTestDevice.Device;

    [WebGpuFact]
    public void An_upload_between_dispatches_is_recorded_and_the_batch_stays_one_submit()
    {
        using var x = Device.CreateBuffer<float>(Enumerable.Repeat(1f, 64).ToArray());
        using var y = Device.CreateBuffer<float>(64);
        ComputeBatch batch;
        using (batch = Device.BeginBatch())
        {
            TestKernels.DispatchSaxpy(Device, x, y, 2, 64);         // y = 2
            x.Upload(Enumerable.Repeat(10f, 64).ToArray());         // x = 10, after the first dispatch
            TestKernels.DispatchSaxpy(Device, x, y, 1, 64);         // y = 2 + 10
            Assert.Equal(0, batch.SubmitCount);
        }
        Assert.Equal(1, batch.SubmitCount);
        Assert.All(y.Read(), v => Assert.Equal(12f, v));
    }

    [WebGpuFact]
    public void The_data_is_taken_at_the_call_so_the_span_may_change_right_after()
    {
        using var data = Device.CreateBuffer<int>(4);
        var host = new[] { 1, 2, 3, 4 };
        using (Device.BeginBatch())
        {
            data.Upload(host);
            host[0] = 99;
            data.Upload(host.AsSpan(2, 2), offset: 2); // [3, 4] again: the second upload sees the array as it is now
            host[3] = 77;
        }
        Assert.Equal([1, 2, 3, 4], data.Read());
    }

    [WebGpuFact]
    public void Uploads_larger_than_a_staging_chunk_and_many_small_ones_all_land()
    {
        int large = UploadArena.ChunkBytes / 4 + 1000;
        var big = Enumerable.Range(0, large).Select(i => (float)i).ToArray();
        using var bigBuffer = Device.CreateBuffer<float>(large);
        using var small = Device.CreateBuffer<int>(3000);
        using (var batch = Device.BeginBatch())
        {
            for (int i = 0; i < 3000; i++) small.Upload([i * 3], offset: i); // 3000 staged words in one chunk
            bigBuffer.Upload(big);                                        // a buffer of its own
            small.Upload([-1], offset: 0);                                // after the big one: a new chunk
            Assert.Equal(0, batch.SubmitCount);
        }
        Assert.Equal(big, bigBuffer.Read());
        var expected = Enumerable.Range(0, 3000).Select(i => i * 3).ToArray();
        expected[0] = -1;
        Assert.Equal(expected, small.Read());
    }

    [WebGpuFact]
    public void An_unaligned_byte_upload_inside_a_batch_still_lands_in_order()
    {
        using var bytes = Device.CreateBuffer<byte>(10);
        using (Device.BeginBatch())
        {
            bytes.Upload([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
            bytes.Upload([42], offset: 5); // 1 byte at offset 5: through the submit-first path
        }
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 42, 7, 8, 9, 10 }, bytes.Read());
    }

    [WebGpuFact]
    public void A_discarded_batch_drops_its_uploads()
    {
        using var data = Device.CreateBuffer<float>([5, 5]);
        var batch = Device.BeginBatch();
        data.Upload([1f, 1f]);
        batch.Discard();
        Assert.Equal([5f, 5], data.Read());
    }
}

/// <summary>Staging buffers of recorded uploads are released after each submit.</summary>
[Collection(nameof(NativeHandleCounting))]
public class BatchUploadLeakTests
{
    [WebGpuFact]
    public void A_hundred_batches_with_uploads_leave_native_buffers_where_they_were()
    {
        var device = WebGpuTestDevice.Device;
        using var data = device.CreateBuffer<float>(256);
        var host = new float[256];
        void Step(int i)
        {
            using var batch = device.BeginBatch();
            host[0] = i;
            data.Upload(host);
            TestKernels.DispatchStore(device, data, 1, i);
        }
        Step(0);
        long before = NativeHandles.Live(NativeObjectKind.Buffer);
        for (int i = 1; i <= 100; i++) Step(i);
        device.Synchronize();
        Assert.Equal(before, NativeHandles.Live(NativeObjectKind.Buffer));
        Assert.Equal([100f, 100f], data.Read()[..2]);
    }
}
