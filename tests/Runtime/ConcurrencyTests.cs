using Xunit;

namespace KernelGen.Tests;

/// <summary>One device used from several threads at once: batches are per thread, every call is serialised.</summary>
public class ConcurrencyTests
{
    [WebGpuFact]
    public void Threads_with_their_own_batches_on_one_device_each_get_their_own_results()
    {
        var device = WebGpuTestDevice.Device;
        const int threads = 4, rounds = 25, perBatch = 20;
        var errors = new List<string>();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                using var data = device.CreateBuffer<float>(perBatch);
                for (int round = 0; round < rounds; round++)
                {
                    using (var batch = device.BeginBatch())
                    {
                        for (uint i = 0; i < perBatch; i++) TestKernels.DispatchStore(device, data, i, t * 1000 + round + i);
                        if (batch.DispatchCount != perBatch) lock (errors) errors.Add($"thread {t}: {batch.DispatchCount} dispatches in its batch");
                    }
                    var got = data.Read();
                    for (int i = 0; i < perBatch; i++)
                        if (got[i] != t * 1000 + round + i) lock (errors) errors.Add($"thread {t} round {round}: [{i}] = {got[i]}");
                }
            }
            catch (Exception e)
            {
                lock (errors) errors.Add($"thread {t}: {e}");
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Empty(errors);
    }

    [WebGpuFact]
    public void Immediate_dispatches_uploads_and_reads_from_many_threads_interleave_safely()
    {
        var device = WebGpuTestDevice.Device;
        var x = Enumerable.Range(0, 512).Select(i => (float)i).ToArray();
        using var gx = device.CreateBuffer<float>(x);
        Parallel.For(0, 6, t =>
        {
            using var y = device.CreateBuffer<float>(512);
            for (int round = 1; round <= 20; round++)
            {
                y.Upload(new float[512]);
                TestKernels.DispatchSaxpy(device, gx, y, t + round, 512);
                if (round % 5 == 0) device.Synchronize();
                var got = y.Read();
                Assert.Equal(x[511] * (t + round), got[511]);
                Assert.Equal(x[7] * (t + round), got[7]);
            }
        });
    }

    [WebGpuFact]
    public void A_batch_submitted_from_another_thread_is_submitted_once_and_its_owner_carries_on()
    {
        var device = WebGpuTestDevice.Device;
        using var data = device.CreateBuffer<float>(2);
        var batch = device.BeginBatch();
        TestKernels.DispatchStore(device, data, 0, 1);
        var other = new Thread(batch.Submit);
        other.Start();
        other.Join();
        Assert.False(batch.IsOpen);
        Assert.Equal(1, batch.SubmitCount);
        TestKernels.DispatchStore(device, data, 1, 2); // no batch open any more: submitted at once
        Assert.Equal(1, batch.DispatchCount);
        Assert.Equal([1f, 2], data.Read());
    }
}
