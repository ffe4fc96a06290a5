using static KernelGen.Kernel;

namespace KernelGen.Generator.Tests.Kernels;

/// <summary>Kernels using workgroup memory and barriers, atomics, and function-scope arrays.</summary>
public static partial class MemoryKernels
{
    private const int GroupSize = 64;

    /// <summary>Each workgroup sums its 64 elements by a tree reduction in workgroup memory.</summary>
    [ComputeKernel(GroupSize)]
    public static void WorkgroupSum(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> partials, uint n)
    {
        var tile = WorkgroupArray<float>(GroupSize);
        uint i = GlobalId.X;
        uint local = LocalIndex;
        tile[local] = i < n ? x[i] : 0f;
        WorkgroupBarrier();
        for (uint stride = GroupSize / 2; stride > 0; stride >>= 1)
        {
            if (local < stride) tile[local] += tile[local + stride];
            WorkgroupBarrier();
        }
        if (local == 0) partials[WorkgroupId.X] = tile[0];
    }

    /// <summary>A histogram of values into 16 bins with atomic adds, plus the atomic min and max of the values.</summary>
    [ComputeKernel(64)]
    public static void Histogram(ReadOnlyBuffer<int> values, ReadWriteBuffer<uint> bins, ReadWriteBuffer<int> extremes, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        int v = values[i];
        uint bin = (uint)(v & 15);
        Atomic.Add(bins, bin, 1u);
        Atomic.Min(extremes, 0u, v);
        Atomic.Max(extremes, 1u, v);
    }

    /// <summary>Sorts 8 consecutive values per invocation in a function-scope array (insertion sort).</summary>
    [ComputeKernel(32)]
    public static void SortEights(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint groups)
    {
        uint g = GlobalId.X;
        if (g >= groups) return;
        Span<float> v = stackalloc float[8];
        for (int k = 0; k < v.Length; k++) v[k] = x[g * 8u + (uint)k];
        for (int k = 1; k < 8; k++)
        {
            float key = v[k];
            int j = k - 1;
            while (j >= 0 && v[j] > key)
            {
                v[j + 1] = v[j];
                j--;
            }
            v[j + 1] = key;
        }
        for (int k = 0; k < 8; k++) y[g * 8u + (uint)k] = v[k];
    }
}
