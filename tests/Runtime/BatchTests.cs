using KernelGen.WebGpu;
using Xunit;

namespace KernelGen.Tests;

/// <summary>Batches: many dispatches in one submit, each with its own scalar parameters, in program order.</summary>
public class BatchTests
{
    private static ComputeDevice Device => WebGpuTestDevice.Device;

    [WebGpuFact]
    public void A_hundred_dispatches_of_one_kernel_in_a_batch_each_see_their_own_uniforms()
    {
        using var data = Device.CreateBuffer<float>(100);
        ComputeBatch batch;
        using (batch = Device.BeginBatch())
        {
            for (uint i = 0; i < 100; i++) TestKernels.DispatchStore(Device, data, i, i * 1.5f + 1);
            Assert.Equal(100, batch.DispatchCount);
            Assert.Equal(0, batch.SubmitCount);
            Assert.True(batch.IsOpen);
        }
        Assert.False(batch.IsOpen);
        Assert.Equal(1, batch.SubmitCount);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 1.5f + 1).ToArray(), data.Read());
    }

    [WebGpuFact]
    public void Dispatches_in_a_batch_run_in_order_on_the_same_buffer()
    {
        var x = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
        using var gx = Device.CreateBuffer<float>(x);
        using var gy = Device.CreateBuffer<float>(1000);
        using (Device.BeginBatch())
        {
            // y = 1x, then y += 2x, y += 3x ...: the result depends on every dispatch seeing the one before.
            for (int k = 1; k <= 10; k++) TestKernels.DispatchSaxpy(Device, gx, gy, k, 1000);
        }
        Assert.Equal(x.Select(v => v * 55).ToArray(), gy.Read());
    }

    [WebGpuFact]
    public void A_read_back_inside_a_batch_submits_what_it_recorded_first_and_the_batch_stays_open()
    {
        using var data = Device.CreateBuffer<float>(4);
        using var batch = Device.BeginBatch();
        TestKernels.DispatchStore(Device, data, 0, 7);
        Assert.Equal([7f, 0, 0, 0], data.Read());
        Assert.Equal(1, batch.SubmitCount);
        Assert.True(batch.IsOpen);
        TestKernels.DispatchStore(Device, data, 1, 8);
        batch.Submit();
        Assert.Equal(2, batch.SubmitCount);
        Assert.Equal([7f, 8, 0, 0], data.Read());
    }

    [WebGpuFact]
    public void An_upload_inside_a_batch_lands_after_the_dispatches_recorded_before_it()
    {
        using var data = Device.CreateBuffer<float>(2);
        using (Device.BeginBatch())
        {
            TestKernels.DispatchStore(Device, data, 0, 1);
            data.Upload([5f], offset: 0);                  // must overwrite the dispatch's 1, not be overwritten by it
            TestKernels.DispatchStore(Device, data, 1, 2);
        }
        Assert.Equal([5f, 2], data.Read());
    }

    [WebGpuFact]
    public void Copies_and_clears_are_recorded_in_order_with_the_dispatches()
    {
        using var a = Device.CreateBuffer<float>(8);
        using var b = Device.CreateBuffer<float>(8);
        ComputeBatch batch;
        using (batch = Device.BeginBatch())
        {
            TestKernels.DispatchStore(Device, a, 3, 42);
            Device.Copy(a, b);                            // b[3] = 42
            Device.Clear(a);                              // a = 0
            TestKernels.DispatchStore(Device, a, 0, 9);   // a[0] = 9
            Device.Copy(b, 3, a, 7, 1);                   // a[7] = 42
            Device.Clear(b, 3, 1);                        // b[3] = 0
        }
        Assert.Equal(1, batch.SubmitCount);
        Assert.Equal([9f, 0, 0, 0, 0, 0, 0, 42], a.Read());
        Assert.Equal(new float[8], b.Read());
    }

    [WebGpuFact]
    public void Copies_and_clears_of_unaligned_byte_ranges_work_through_the_host()
    {
        var bytes = Enumerable.Range(1, 11).Select(i => (byte)i).ToArray();
        using var a = Device.CreateBuffer<byte>(bytes);
        using var b = Device.CreateBuffer<byte>(11);
        Device.Copy(a, 1, b, 2, 5);
        Device.Clear(a, 3, 3);
        Assert.Equal(new byte[] { 0, 0, 2, 3, 4, 5, 6, 0, 0, 0, 0 }, b.Read());
        Assert.Equal(new byte[] { 1, 2, 3, 0, 0, 0, 7, 8, 9, 10, 11 }, a.Read());
        Device.Clear(a);
        Assert.Equal(new byte[11], a.Read());
    }

    [WebGpuFact]
    public void A_batch_that_outgrows_the_uniform_ring_submits_early_and_stays_correct()
    {
        var saved = WebGpuDevice.DefaultUniformRingBytes;
        ComputeDevice device;
        try
        {
            // 16 slots (the slot is the uniform block rounded up to minUniformBufferOffsetAlignment)
            uint alignment = Math.Clamp(WebGpuTestDevice.Adapter.Limits.MinUniformBufferOffsetAlignment, 16u, 256u);
            WebGpuDevice.DefaultUniformRingBytes = 16 * (int)alignment;
            device = ComputeDevice.OpenWebGpu();
        }
        finally
        {
            WebGpuDevice.DefaultUniformRingBytes = saved;
        }
        using (device)
        {
            using var data = device.CreateBuffer<float>(100);
            ComputeBatch batch;
            using (batch = device.BeginBatch())
                for (uint i = 0; i < 100; i++) TestKernels.DispatchStore(device, data, i, i + 0.25f);
            Assert.InRange(batch.SubmitCount, 100 / 16, 100 / 2);
            Assert.Equal(Enumerable.Range(0, 100).Select(i => i + 0.25f).ToArray(), data.Read());
        }
    }

    [WebGpuFact]
    public void A_batch_begun_inside_another_joins_it()
    {
        using var data = Device.CreateBuffer<float>(3);
        using var outer = Device.BeginBatch();
        TestKernels.DispatchStore(Device, data, 0, 1);
        using (var inner = Device.BeginBatch())
        {
            TestKernels.DispatchStore(Device, data, 1, 2);
        }
        Assert.Equal(0, outer.SubmitCount);             // the inner batch submitted nothing
        TestKernels.DispatchStore(Device, data, 2, 3);
        outer.Submit();
        Assert.Equal(1, outer.SubmitCount);
        Assert.Equal(3, outer.DispatchCount);
        Assert.Equal([1f, 2, 3], data.Read());
    }

    [WebGpuFact]
    public void Disposing_a_batch_when_an_exception_leaves_the_block_submits_what_was_recorded()
    {
        using var data = Device.CreateBuffer<float>(2);
        void FailInsideABatch()
        {
            using var batch = Device.BeginBatch();
            TestKernels.DispatchStore(Device, data, 0, 4);
            throw new InvalidOperationException("the caller's own failure");
        }
        Assert.Throws<InvalidOperationException>(FailInsideABatch);
        Assert.Equal([4f, 0], data.Read());
        using (Device.BeginBatch()) TestKernels.DispatchStore(Device, data, 1, 5); // the thread's next batch works
        Assert.Equal([4f, 5], data.Read());
    }

    [WebGpuFact]
    public void Another_threads_dispatches_do_not_land_in_a_batch()
    {
        using var data = Device.CreateBuffer<float>(2);
        using var batch = Device.BeginBatch();
        TestKernels.DispatchStore(Device, data, 0, 1);
        var other = new Thread(() => TestKernels.DispatchStore(Device, data, 1, 2)); // submitted by itself, at once
        other.Start();
        other.Join();
        Assert.Equal(1, batch.DispatchCount);
        batch.Submit();
        Assert.Equal([1f, 2], data.Read());
    }

    [WebGpuFact]
    public void Submit_and_Dispose_twice_do_nothing_more()
    {
        using var data = Device.CreateBuffer<float>(1);
        var batch = Device.BeginBatch();
        TestKernels.DispatchStore(Device, data, 0, 3);
        batch.Submit();
        batch.Submit();
        batch.Dispose();
        batch.Dispose();
        Assert.Equal(1, batch.SubmitCount);
        Assert.Equal([3f], data.Read());
    }

    [Fact]
    public void On_the_CPU_backend_a_batch_is_a_no_op_and_copies_and_clears_run_at_once()
    {
        using var cpu = ComputeDevice.OpenCpu();
        using var a = cpu.CreateBuffer<int>([1, 2, 3, 4]);
        using var b = cpu.CreateBuffer<int>(4);
        using (var batch = cpu.BeginBatch(timed: true))
        {
            cpu.Copy(a, b);
            Assert.Equal([1, 2, 3, 4], b.Read());
            cpu.Clear(a, 1, 2);
            Assert.Equal([1, 0, 0, 4], a.Read());
            Assert.Empty(batch.Timings);
        }
        Assert.False(cpu.SupportsGpuTimestamps);
        Assert.Equal(65535u, cpu.MaxWorkgroupsPerDimension);
    }

    [WebGpuFact]
    public void A_timed_batch_reports_each_dispatchs_GPU_time_where_the_adapter_has_timestamps()
    {
        Assert.Equal(WebGpuTestDevice.Adapter.SupportsTimestampQueries, Device.SupportsGpuTimestamps);
        using var x = Device.CreateBuffer<float>(Enumerable.Repeat(1f, 4096).ToArray());
        using var y = Device.CreateBuffer<float>(4096);
        ComputeBatch batch;
        using (batch = Device.BeginBatch(timed: true))
        {
            for (int i = 0; i < 5; i++) TestKernels.DispatchSaxpy(Device, x, y, 2, 4096);
            TestKernels.DispatchStore(Device, y, 0, -1);
        }
        Assert.Equal([-1f, 10, 10], y.Read()[..3]);
        if (!Device.SupportsGpuTimestamps)
        {
            Assert.Empty(batch.Timings);
            return;
        }
        Assert.Equal(6, batch.Timings.Count);
        Assert.All(batch.Timings.Take(5), t => Assert.Equal(TestKernels.Saxpy.Name, t.Kernel));
        Assert.Equal(new UInt3(64, 1, 1), batch.Timings[0].Workgroups);
        Assert.Equal(TestKernels.Store.Name, batch.Timings[5].Kernel);
        Assert.All(batch.Timings, t => Assert.InRange(t.Nanoseconds, 1, 10_000_000_000));
    }
}

/// <summary>The CPU backend's batches: nothing is deferred, but the dispatches issued while one is open are counted.</summary>
public class CpuBatchCountTests
{
    private static void Launch(ComputeDevice device, GpuBuffer<float> x, GpuBuffer<float> y)
    {
        // What a generated stub does on the CPU backend: Launch checks (and counts), then the stub runs the kernel.
        var cpu = KernelLaunch.Launch(TestKernels.Saxpy, device, 2, [(GpuBufferView<float>)x, (GpuBufferView<float>)y], TestKernels.SaxpyUniforms(1f, 2));
        Assert.NotNull(cpu);
    }

    [Fact]
    public void A_CPU_batch_counts_the_dispatches_its_thread_issues_while_it_is_open()
    {
        using var cpu = ComputeDevice.OpenCpu();
        using var x = cpu.CreateBuffer<float>(2);
        using var y = cpu.CreateBuffer<float>(2);
        Launch(cpu, x, y); // outside a batch: counted nowhere
        ComputeBatch batch;
        using (batch = cpu.BeginBatch())
        {
            Launch(cpu, x, y);
            Launch(cpu, x, y);
            using (var inner = cpu.BeginBatch())
            {
                Launch(cpu, x, y); // a joined batch: the outermost counts it
                Assert.Equal(0, inner.DispatchCount);
            }
            Assert.Equal(3, batch.DispatchCount);
            var other = new Thread(() => Launch(cpu, x, y)); // another thread's dispatch is not this batch's
            other.Start();
            other.Join();
            Assert.Equal(3, batch.DispatchCount);
            Assert.True(batch.IsOpen);
        }
        Launch(cpu, x, y); // after the batch closed
        Assert.Equal(3, batch.DispatchCount);
        Assert.Equal("batch of 3 dispatches on Cpu", batch.ToString());
        using var next = cpu.BeginBatch();
        Launch(cpu, x, y);
        Assert.Equal(1, next.DispatchCount);
    }
}
