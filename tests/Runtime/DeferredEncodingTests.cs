using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// Inside a batch a dispatch is noted and encoded later (before the next copy, clear, timed pass or submit), holding
/// its pipeline and bind group by handle only. These make sure whatever releases a bind group first has the noted
/// dispatches encoded (Dawn then holds its own references), and that program order holds.
/// </summary>
public class DeferredEncodingTests
{
    private static void Saxpy(ComputeDevice device, GpuBuffer<float> x, GpuBuffer<float> y, float a) =>
        KernelLaunch.Launch(TestKernels.Saxpy, device, 2, [(GpuBufferView<float>)x, (GpuBufferView<float>)y], TestKernels.SaxpyUniforms(a, 2));

    [WebGpuFact]
    public void A_buffer_disposed_in_a_batch_after_a_dispatch_that_reads_it_still_feeds_that_dispatch()
    {
        var device = WebGpuTestDevice.Device;
        using var y = device.CreateBuffer<float>(2);
        using (device.BeginBatch())
        {
            var x = device.CreateBuffer<float>([1f, 2f]);
            Saxpy(device, x, y, 3f);
            x.Dispose(); // releases the bind group of the dispatch above, which is not encoded yet
            using var z = device.CreateBuffer<float>([10f, 20f]);
            Saxpy(device, z, y, 1f);
        }
        Assert.Equal([13f, 26f], y.Read());
    }

    [WebGpuFact]
    public void More_buffer_sets_in_one_batch_than_a_kernel_caches_bind_groups_for_all_run()
    {
        var device = WebGpuTestDevice.Device;
        using var x = device.CreateBuffer<float>([1f, 2f]);
        // Twelve sets: the kernel's cache of eight bind groups drops the oldest while their dispatches wait.
        var outputs = Enumerable.Range(0, 12).Select(_ => device.CreateBuffer<float>(2)).ToList();
        try
        {
            using (var batch = device.BeginBatch())
            {
                for (int round = 0; round < 2; round++)
                    for (int i = 0; i < outputs.Count; i++)
                        Saxpy(device, x, outputs[i], i + 1);
                Assert.Equal(24, batch.DispatchCount);
            }
            for (int i = 0; i < outputs.Count; i++)
                Assert.Equal([2f * (i + 1), 4f * (i + 1)], outputs[i].Read());
        }
        finally
        {
            foreach (var output in outputs) output.Dispose();
        }
    }

    [WebGpuFact]
    public void Dispatches_copies_and_uploads_in_a_batch_keep_program_order()
    {
        var device = WebGpuTestDevice.Device;
        using var x = device.CreateBuffer<float>([1f, 2f]);
        using var y = device.CreateBuffer<float>(2);
        using var copy = device.CreateBuffer<float>(2);
        using (device.BeginBatch())
        {
            Saxpy(device, x, y, 1f);          // y = 1, 2
            device.Copy(y, copy);              // copy = 1, 2
            y.Upload([100f, 200f]);            // y = 100, 200
            Saxpy(device, x, y, 1f);          // y = 101, 202
            Assert.Equal([101f, 202f], y.Read()); // a read inside the batch sees what came before it
            Saxpy(device, x, y, 1f);          // y = 102, 204
        }
        Assert.Equal([1f, 2f], copy.Read());
        Assert.Equal([102f, 204f], y.Read());
    }
}
