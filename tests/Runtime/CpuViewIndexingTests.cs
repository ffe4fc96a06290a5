using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// The CPU backend's kernel arguments index whole buffers through the array's own check and views through the
/// view's range: a view that starts at 0 but is shorter must still refuse the elements past its end.
/// </summary>
public class CpuViewIndexingTests
{
    [Fact]
    public void Whole_buffers_prefix_views_and_tail_views_each_check_their_own_length()
    {
        using var cpu = ComputeDevice.OpenCpu();
        using var buffer = cpu.CreateBuffer<int>([1, 2, 3, 4]);

        var prefix = buffer.Slice(0, 2).AsReadOnly();
        Assert.Equal(2u, prefix.Length);
        Assert.Equal(2, prefix[1]);
        Assert.Throws<IndexOutOfRangeException>(() => prefix[2]);

        var whole = buffer.Slice(0, 4).AsReadWrite();
        whole[3u] = 9;
        Assert.Equal(9, buffer.Read()[3]);
        Assert.Throws<IndexOutOfRangeException>(() => whole[4]);
        Assert.Throws<IndexOutOfRangeException>(() => whole[-1]);

        var tail = buffer.Slice(2).AsReadWrite();
        tail[0] = 7;
        Assert.Equal([1, 2, 7, 9], buffer.Read());
        Assert.Throws<IndexOutOfRangeException>(() => tail[2u]);
    }
}
