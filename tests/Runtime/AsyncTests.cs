using KernelGen.Native;
using KernelGen.WebGpu;
using Xunit;

namespace KernelGen.Tests;

/// <summary>The Task APIs: ReadAsync, ReadIntoAsync, SynchronizeAsync, OpenAsync, on both backends.</summary>
public class AsyncTests
{
    private static ComputeDevice Gpu => WebGpuTestDevice.Device;

    /// <summary>Long enough for any test here; a hang fails the test instead of the whole run.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [WebGpuFact]
    public async Task ReadAsync_returns_what_the_dispatches_before_it_wrote()
    {
        var x = Enumerable.Range(0, 1000).Select(i => (float)i).ToArray();
        using var gx = Gpu.CreateBuffer<float>(x);
        using var gy = Gpu.CreateBuffer<float>(1000);
        for (int k = 1; k <= 3; k++) TestKernels.DispatchSaxpy(Gpu, gx, gy, k, 1000);
        float[] y = await gy.ReadAsync().WaitAsync(Patience);
        Assert.Equal(x.Select(v => v * 6).ToArray(), y);
    }

    [WebGpuFact]
    public async Task A_read_of_a_long_kernel_does_not_block_the_caller_and_gets_the_result()
    {
        const uint rounds = 20_000;
        var start = Enumerable.Range(0, 4096).Select(i => (uint)i).ToArray();
        using var data = Gpu.CreateBuffer<uint>(start);
        TestKernels.DispatchSpin(Gpu, data, rounds);
        var read = data.ReadAsync();
        // The call returned with the task still open, or the kernel was quick; either way the result is right.
        uint[] result = await read.WaitAsync(Patience);
        Assert.Equal(start.Select(v => TestKernels.SpinOnHost(v, rounds)).ToArray(), result);
    }

    [WebGpuFact]
    public async Task Many_reads_in_flight_at_once_each_get_their_own_buffer()
    {
        var buffers = Enumerable.Range(0, 16).Select(b => Gpu.CreateBuffer<int>(Enumerable.Range(b * 1000, 333).ToArray())).ToList();
        try
        {
            var reads = buffers.Select(b => b.ReadAsync()).ToArray();
            int[][] results = await Task.WhenAll(reads).WaitAsync(Patience);
            for (int b = 0; b < buffers.Count; b++) Assert.Equal(Enumerable.Range(b * 1000, 333).ToArray(), results[b]);
        }
        finally
        {
            foreach (var buffer in buffers) buffer.Dispose();
        }
    }

    [WebGpuFact]
    public async Task ReadIntoAsync_reads_an_unaligned_range_into_part_of_an_array()
    {
        var bytes = Enumerable.Range(0, 37).Select(i => (byte)(i * 7)).ToArray();
        using var buffer = Gpu.CreateBuffer<byte>(bytes);
        var destination = new byte[20];
        await buffer.ReadIntoAsync(destination.AsMemory(5, 11), offset: 3).WaitAsync(Patience);
        Assert.Equal(new byte[5], destination[..5]);
        Assert.Equal(bytes[3..14], destination[5..16]);
        Assert.Equal(new byte[4], destination[16..]);
    }

    [WebGpuFact]
    public async Task A_view_reads_its_own_elements_asynchronously()
    {
        using var buffer = Gpu.CreateBuffer<int>(Enumerable.Range(0, 100).ToArray());
        var view = buffer.Slice(40, 20);
        Assert.Equal(Enumerable.Range(40, 20).ToArray(), await view.ReadAsync().WaitAsync(Patience));
        var part = new int[5];
        await view.ReadIntoAsync(part, offset: 15).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(55, 5).ToArray(), part);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = view.ReadIntoAsync(new int[6], offset: 15); });
    }

    [WebGpuFact]
    public async Task A_read_inside_a_batch_sees_what_the_batch_recorded_before_it()
    {
        using var data = Gpu.CreateBuffer<float>(4);
        using var batch = Gpu.BeginBatch();
        TestKernels.DispatchStore(Gpu, data, 2, 11);
        float[] seen = await data.ReadAsync().WaitAsync(Patience);
        Assert.Equal([0f, 0, 11, 0], seen);
        Assert.Equal(1, batch.SubmitCount);
        Assert.True(batch.IsOpen);
    }

    [WebGpuFact]
    public async Task SynchronizeAsync_completes_once_the_work_has_run()
    {
        const uint rounds = 5_000;
        using var data = Gpu.CreateBuffer<uint>(Enumerable.Range(0, 1024).Select(i => (uint)i).ToArray());
        using (Gpu.BeginBatch())
        {
            TestKernels.DispatchSpin(Gpu, data, rounds);
            await Gpu.SynchronizeAsync().WaitAsync(Patience); // submits the open batch first, then waits
        }
        Assert.Equal(TestKernels.SpinOnHost(1023, rounds), data.Read()[1023]);
    }

    [WebGpuFact]
    public async Task A_cancelled_read_completes_as_cancelled_and_leaves_the_destination_alone()
    {
        using var data = Gpu.CreateBuffer<float>([1, 2, 3]);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var destination = new float[3];
        var read = data.ReadIntoAsync(destination, 0, cancelled.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Patience));
        Assert.Equal(new float[3], destination);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Gpu.SynchronizeAsync(cancelled.Token));
    }

    [WebGpuFact]
    public void Bad_arguments_and_disposed_buffers_throw_at_the_call()
    {
        var buffer = Gpu.CreateBuffer<float>(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = buffer.ReadIntoAsync(new float[3], offset: 2); });
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => { _ = buffer.ReadAsync(); });
    }

    [WebGpuFact]
    public async Task Disposing_the_device_fails_reads_still_in_flight_instead_of_hanging()
    {
        var device = ComputeDevice.OpenWebGpu();
        var data = device.CreateBuffer<uint>(Enumerable.Range(0, 16384).Select(i => (uint)i).ToArray());
        TestKernels.DispatchSpin(device, data, 50_000); // about a second on lavapipe: still running at the disposal
        var read = data.ReadAsync();
        device.Dispose();
        try
        {
            uint[] result = await read.WaitAsync(Patience);
            Assert.Equal(TestKernels.SpinOnHost(7, 50_000), result[7]); // it finished before the disposal: also fine
        }
        catch (ObjectDisposedException e)
        {
            Assert.Contains("disposed", e.Message);
        }
    }

    [WebGpuFact]
    public async Task After_a_device_loss_async_calls_fail_with_the_reason()
    {
        using var device = (WebGpuDevice)ComputeDevice.OpenWebGpu();
        using var buffer = device.CreateBuffer<float>([1, 2, 3]);
        ForceLoss(device);
        var read = await Assert.ThrowsAsync<WebGpuException>(() => buffer.ReadAsync().WaitAsync(Patience));
        Assert.Contains("device was lost", read.Message);
        var sync = await Assert.ThrowsAsync<WebGpuException>(() => device.SynchronizeAsync().WaitAsync(Patience));
        Assert.Contains("device was lost", sync.Message);
    }

    private static unsafe void ForceLoss(WebGpuDevice device)
    {
        fixed (byte* message = "lost on purpose by a test"u8)
            WebGpuNative.DeviceForceLoss(device.NativeDevice, DeviceLostReason.Unknown, StringView.Of(message, 25));
    }

    [Fact]
    public async Task On_the_CPU_backend_the_tasks_complete_at_once_with_the_data()
    {
        using var cpu = ComputeDevice.OpenCpu();
        using var buffer = cpu.CreateBuffer<int>([4, 5, 6, 7]);
        var read = buffer.ReadAsync();
        Assert.True(read.IsCompletedSuccessfully);
        int[] all = await read;
        Assert.Equal(new[] { 4, 5, 6, 7 }, all);
        var part = new int[2];
        await buffer.ReadIntoAsync(part, offset: 1);
        Assert.Equal(new[] { 5, 6 }, part);
        Assert.True(cpu.SynchronizeAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task OpenAsync_honours_the_cpu_backend_choice()
    {
        var previous = Environment.GetEnvironmentVariable("KERNELGEN_BACKEND");
        Environment.SetEnvironmentVariable("KERNELGEN_BACKEND", "cpu");
        try
        {
            using var device = await ComputeDevice.OpenAsync(TextWriter.Null).WaitAsync(Patience);
            Assert.Equal(Backend.Cpu, device.Backend);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KERNELGEN_BACKEND", previous);
        }
    }
}

/// <summary>Asynchronous reads free their staging buffers: handle counts stay flat.</summary>
[Collection(nameof(NativeHandleCounting))]
public class AsyncLeakTests
{
    [WebGpuFact]
    public async Task Two_hundred_async_reads_leave_no_native_buffer_behind()
    {
        var device = WebGpuTestDevice.Device;
        using var data = device.CreateBuffer<float>(Enumerable.Range(0, 256).Select(i => (float)i).ToArray());
        await data.ReadAsync(); // warm-up
        long before = NativeHandles.Live(NativeObjectKind.Buffer);
        for (int round = 0; round < 20; round++)
            await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => data.ReadAsync())).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(before, NativeHandles.Live(NativeObjectKind.Buffer));
    }
}
