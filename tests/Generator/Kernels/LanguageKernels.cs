using static KernelGen.Kernel;

namespace KernelGen.Generator.Tests.Kernels;

/// <summary>
/// Kernels that exercise the language beyond the elementwise samples: loops, helpers, bool and int scalars, shifts
/// and bit operations, compound assignments with conversions, constants, every thread id and 2D launches.
/// Each has a WGSL snapshot and a WebGPU-against-CPU parity test.
/// </summary>
public static partial class LanguageKernels
{
    private const int Taps = 5;

    /// <summary>A 1D box filter over <see cref="Taps"/> neighbours with a for loop, continue and a clamp helper.</summary>
    [ComputeKernel(64)]
    public static void BoxFilter(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        float sum = 0f;
        int count = 0;
        for (int k = -Taps / 2; k <= Taps / 2; k++)
        {
            int j = (int)i + k;
            if (j < 0 || j >= (int)n) continue;
            sum += x[j];
            count++;
        }
        y[i] = Clamp01(sum / count) + SharedMath.Smoothstep(0.25f, 0.75f, x[i]) * 0.001f;
    }

    /// <summary>Collatz steps with while and do/while loops, break, and integer ops, capped by a uint scalar.</summary>
    [ComputeKernel(64)]
    public static void Collatz(ReadOnlyBuffer<uint> start, ReadWriteBuffer<uint> steps, uint cap, uint n)
    {
        uint i = GlobalId.X;
        if (i < n)
        {
            uint v = start[i];
            uint s = 0;
            while (v != 1u && v != 0u)
            {
                v = (v & 1u) == 0u ? v >> 1 : 3u * v + 1u;
                s++;
                if (s >= cap) break;
            }
            uint extra = 0;
            do
            {
                extra += 2u;
            } while (extra < 6u);
            steps[i] = s * 10u + extra;
        }
    }

    /// <summary>Bit mixing with shifts, xor, not, and a bool scalar choosing between two formulas.</summary>
    [ComputeKernel(32)]
    public static void HashMix(ReadOnlyBuffer<int> x, ReadWriteBuffer<int> y, bool invert, int shift, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        int v = x[i];
        v ^= v << shift;
        v += (int)(i * 2654435761u >> 3);
        y[i] = invert ? ~v : v % 1000 - (v & 0xff);
    }

    /// <summary>Compound assignments that convert (int += float), infinity constants and a helper with a reassigned parameter.</summary>
    [ComputeKernel(64)]
    public static void Conversions(ReadOnlyBuffer<float> x, ReadWriteBuffer<int> y, float scale, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        int acc = (int)i % 7;
        // Clamped first: out-of-range float-to-int casts saturate differently (C#: int.MaxValue, WGSL: 2147483520).
        acc += (int)MathF.Max(MathF.Min(x[i] * scale, 1e6f), -1e6f);
        acc *= 3;
        float m = float.NegativeInfinity;
        m = MathF.Max(m, x[i]);
        float capped = m > 1e30f ? float.PositiveInfinity : m;
        y[i] = acc + (int)Saturate(capped, 2f);
    }

    /// <summary>A 2D launch writing every thread id, for checking the builtins and the workgroup grid.</summary>
    [ComputeKernel(8, 4)]
    public static void ThreadIds(ReadWriteBuffer<uint> ids, uint width, uint height)
    {
        uint gx = GlobalId.X, gy = GlobalId.Y;
        if (gx >= width || gy >= height) return;
        uint o = (gy * width + gx) * 6u;
        ids[o] = LocalId.X + 100u * LocalId.Y;
        ids[o + 1u] = WorkgroupId.X + 100u * WorkgroupId.Y;
        ids[o + 2u] = NumWorkgroups.X + 100u * NumWorkgroups.Y;
        ids[o + 3u] = LocalIndex;
        ids[o + 4u] = ids.Length;
        ids[o + 5u] = GlobalId.Z;
    }

    /// <summary>A switch with shared labels, a default, and continue/break inside a loop around it.</summary>
    [ComputeKernel(64)]
    public static void Classify(ReadOnlyBuffer<int> x, ReadWriteBuffer<int> y, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        int score = 0;
        for (int k = 0; k < 6; k++)
        {
            switch ((x[i] + k) % 5)
            {
                case 0:
                case 1:
                    score += 1;
                    break;
                case 2:
                    score -= 2;
                    continue;
                case Taps:
                    score *= 3;
                    break;
                default:
                    score += k;
                    break;
            }
            score++;
        }
        y[i] = score;
    }

    /// <summary>A moving average whose window is a compile-time constant per variant: it sizes a local array.</summary>
    [ComputeKernel(64)]
    public static void MovingAverage(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, [Specialize(3, 5)] int taps, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        Span<float> window = stackalloc float[taps * 2 - taps];
        for (int k = 0; k < taps; k++)
        {
            int j = Math.Min((int)i + k, (int)n - 1);
            window[k] = x[j];
        }
        float sum = 0f;
        for (int k = 0; k < window.Length; k++) sum += window[k];
        y[i] = sum / taps;
    }

    private static float Clamp01(float v) => MathF.Min(MathF.Max(v, 0f), 1f);

    private static float Saturate(float v, float limit)
    {
        if (v > limit) v = limit;
        if (v < -limit) v = -limit;
        return v * Half();
    }

    private static float Half() => 0.5f;
}

/// <summary>Helpers shared by kernels of several classes.</summary>
[KernelHelpers]
public static class SharedMath
{
    public static float Smoothstep(float edge0, float edge1, float v)
    {
        float t = MathF.Min(MathF.Max((v - edge0) / (edge1 - edge0), 0f), 1f);
        return t * t * (3f - 2f * t);
    }
}
