using static KernelGen.Kernel;

namespace KernelGen.Generator.Tests.Kernels;

/// <summary>
/// Kernels whose CPU work-item loops run four neighbouring invocations together (lanes, see the generator's
/// LanePlan): loops with lane-uniform bounds run once for the four. <see cref="LaneTests"/> runs each through the
/// loops and through the kernel's own C# method, on ragged grids where some lanes of a group return early.
/// </summary>
public static partial class LaneKernels
{
    /// <summary>C = A B (rows x inner times inner x cols): the k loop is shared, row is the same for the four lanes.</summary>
    [ComputeKernel(8, 4)]
    public static void Matmul(ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadWriteBuffer<float> c, uint rows, uint inner, uint cols)
    {
        uint col = GlobalId.X;
        uint row = GlobalId.Y;
        if (row >= rows || col >= cols) return;
        float sum = 0f;
        for (uint k = 0; k < inner; k++) sum += a[row * inner + k] * b[k * cols + col];
        c[row * cols + col] = sum;
    }

    /// <summary>
    /// 1D, everything the lanes must keep apart: a shared declaration, nested shared loops, a loop whose bound
    /// differs per invocation inside a shared one, a switch, locals declared inside a shared loop, a counter the body
    /// writes (not shared), a second loop reusing a counter's name, vectors, and returns before and after.
    /// </summary>
    [ComputeKernel(64)]
    public static void Mixed(ReadOnlyBuffer<int> x, ReadWriteBuffer<int> y, uint n, int rounds)
    {
        uint i = GlobalId.X;
        uint span = n * 2u + 1u; // shared: lane-uniform, never written
        if (i >= n) return;
        int v = x[i];
        if (v < 0) return; // some lanes of a group stop here
        int acc = 0;
        Int2 pair = new Int2(v, 1);
        for (int r = 0; r < rounds; r++)
        {
            int step = (v + r) % 7;
            for (uint j = 0; j < 3u; j++)
            {
                acc += step * (int)j;
                pair = pair + new Int2(1, (int)j);
            }
            for (uint t = 0; t < i % 5u; t++) acc ^= (int)t; // per lane: the bound depends on the invocation
            switch (step)
            {
                case 0:
                    acc += 100;
                    break;
                case 3:
                    acc -= 7;
                    break;
                default:
                    acc += step;
                    break;
            }
        }
        int w = 0;
        for (int k = 0; k < 6; k++)
        {
            w += k;
            k++; // the body writes its counter: this loop runs per lane
        }
        for (int k = 0; k < 4; k++) w += k * (int)span;
        if (acc == 0) return;
        y[i] = acc + w * 1000 + pair.X * 7 + pair.Y;
    }

    /// <summary>1D: the name j reused by a loop whose bound differs per invocation (per lane) and by a shared loop.</summary>
    [ComputeKernel(16)]
    public static void ReusedCounter(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint n, uint cols)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        float m = 0f;
        for (uint j = 0; j < i % 7u; j++) m += x[j];
        for (uint j = 0; j < cols; j++) m = m * 0.5f + x[j];
        y[i] = m;
    }

    /// <summary>Reads past the end of <paramref name="x"/> inside a shared loop, for invocation <paramref name="bad"/> only.</summary>
    [ComputeKernel(16)]
    public static void OutOfBoundsInSharedLoop(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint n, uint bad)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        float sum = 0f;
        for (uint k = 0; k < 4u; k++) sum += x[i == bad ? n + 100u : i];
        y[i] = sum;
    }

    /// <summary>
    /// Clears its trigger before it fails, so running the workgroup again does not fail: the error can then only
    /// name the workgroup.
    /// </summary>
    [ComputeKernel(16)]
    public static void FailsOnlyOnce(ReadWriteBuffer<int> trigger, ReadWriteBuffer<float> y, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        int t = trigger[i];
        trigger[i] = 0;
        float sum = 0f;
        for (uint k = 0; k < 2u; k++) sum += (float)k;
        y[t == 1 ? n + 50u : i] = sum;
    }
}
