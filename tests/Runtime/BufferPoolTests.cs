using KernelGen.Native;
using Xunit;

namespace KernelGen.Tests;

public class BufferPoolTests
{
    [Theory]
    [InlineData(1, 16)]
    [InlineData(16, 16)]
    [InlineData(17, 20)]
    [InlineData(64, 64)]
    [InlineData(65, 80)]
    [InlineData(81, 96)]
    [InlineData(100, 112)]
    [InlineData(113, 128)]
    [InlineData(1_000_000, 1_048_576)]
    public void Size_classes_are_at_most_a_quarter_larger(int asked, int expected)
    {
        Assert.Equal(expected, BufferPool.SizeClass(asked));
        Assert.True(BufferPool.SizeClass(asked) <= Math.Max(16, asked * 1.25));
    }

    [Fact]
    public void Returned_buffers_come_back_by_type_and_length()
    {
        using var device = ComputeDevice.OpenCpu();
        using var pool = new BufferPool(device);
        var a = pool.Rent<float>(10);
        var b = pool.RentAtLeast<float>(100);
        Assert.Equal(10, a.Length);
        Assert.Equal(112, b.Length);
        pool.Return(a);
        pool.Return(b);
        Assert.Same(a, pool.Rent<float>(10));
        Assert.Same(b, pool.RentAtLeast<float>(110));
        Assert.NotSame(a, pool.Rent<int>(10));   // another element type
        Assert.NotSame(b, pool.Rent<float>(11)); // another length
        Assert.Equal(4, pool.CreatedCount);
        Assert.Equal(4, pool.RentedCount);
    }

    [Fact]
    public void Returning_twice_or_a_foreign_buffer_throws_and_a_lease_returns_once()
    {
        using var device = ComputeDevice.OpenCpu();
        using var pool = new BufferPool(device);
        var a = pool.Rent<float>(4);
        pool.Return(a);
        Assert.Contains("not rented from this pool", Assert.Throws<InvalidOperationException>(() => pool.Return(a)).Message);
        using var foreign = device.CreateBuffer<float>(4);
        Assert.Throws<InvalidOperationException>(() => pool.Return(foreign));
        var lease = pool.LeaseBuffer<float>(4);
        Assert.Same(a, lease.Buffer);
        lease.Dispose();
        lease.Dispose();
        Assert.Equal(0, pool.RentedCount);
    }

    [Fact]
    public void Zeroed_rentals_are_cleared_and_the_retained_bytes_are_capped()
    {
        using var device = ComputeDevice.OpenCpu();
        using var pool = new BufferPool(device, maxRetainedBytes: 64);
        var a = pool.Rent<int>(8);
        a.Upload([1, 2, 3, 4, 5, 6, 7, 8]);
        pool.Return(a);
        Assert.Equal(32, pool.RetainedBytes);
        var again = pool.Rent<int>(8, zeroed: true);
        Assert.Same(a, again);
        Assert.Equal(new int[8], again.Read());
        var big = pool.Rent<int>(100);
        pool.Return(big);                 // over the cap: disposed, not kept
        Assert.True(big.IsDisposed);
        pool.Return(again);
        pool.Dispose();
        Assert.True(again.IsDisposed);    // disposing the pool disposes what it holds
        Assert.Throws<ObjectDisposedException>(() => pool.Rent<int>(8));
    }

    [Fact]
    public void Many_threads_rent_and_return_concurrently()
    {
        using var device = ComputeDevice.OpenCpu();
        using var pool = new BufferPool(device);
        Parallel.For(0, 8, t =>
        {
            for (int i = 0; i < 200; i++)
            {
                var buffer = pool.RentAtLeast<float>(1 + (i * 7 + t) % 50);
                buffer.Upload([t]);
                Assert.Equal(t, buffer.Read()[0]);
                pool.Return(buffer);
            }
        });
        Assert.Equal(0, pool.RentedCount);
        Assert.InRange(pool.CreatedCount, 1, 8 * 8);
    }
}

[Collection(nameof(NativeHandleCounting))]
public class BufferPoolNativeTests
{
    [WebGpuFact]
    public void A_warm_training_loop_creates_no_native_buffers_or_bind_groups()
    {
        var device = WebGpuTestDevice.Device;
        using var pool = new BufferPool(device);
        using var x = device.CreateBuffer<float>(Enumerable.Repeat(1f, 1000).ToArray());

        float Step(int step)
        {
            var hidden = pool.Rent<float>(1000, zeroed: true);
            var scratch = pool.RentAtLeast<float>(900 + step % 7);     // varying length, same size class
            using var output = pool.LeaseBuffer<float>(1);
            using (device.BeginBatch())
            {
                TestKernels.DispatchSaxpy(device, x, hidden, 2, 1000);    // hidden = 2
                TestKernels.DispatchSaxpy(device, hidden, scratch, 1, 900); // scratch = 2 + old
                device.Copy(hidden, 0, output.Buffer, 0, 1);
            }
            pool.Return(hidden);
            pool.Return(scratch);
            return output.Buffer.Read()[0];
        }

        for (int step = 0; step < 3; step++) Step(step); // warm-up: buffers, pipelines, bind groups, staging
        long buffers = NativeHandles.Created(NativeObjectKind.Buffer);
        long bindGroups = NativeHandles.Created(NativeObjectKind.BindGroup);
        long created = pool.CreatedCount;
        for (int step = 3; step < 53; step++) Assert.Equal(2f, Step(step));
        Assert.Equal(created, pool.CreatedCount);
        Assert.Equal(buffers, NativeHandles.Created(NativeObjectKind.Buffer));
        Assert.Equal(bindGroups, NativeHandles.Created(NativeObjectKind.BindGroup));
    }
}
