using System.Globalization;
using System.Text;

namespace KernelGen.GeneratorBenchmarks;

/// <summary>
/// The benchmark project's sources: <see cref="Files"/> files of <see cref="KernelsPerFile"/> kernels each (200 in all),
/// cycling through 14 shapes taken from the sample kernels (elementwise, transcendental, integer mix, loops with a
/// helper, while/do-while, bit mixing, helpers calling helpers, 2D thread ids, switch, workgroup arrays + barriers,
/// atomics, stackalloc arrays, Vector4 math, Vector4 local arrays), each with its own constants, plus two ordinary C#
/// files that contain no kernel. Deterministic: the same text every run.
/// </summary>
public static class KernelCorpus
{
    public const int Files = 20;
    public const int KernelsPerFile = 10;
    public const int KernelCount = Files * KernelsPerFile;
    public const int Shapes = 14;

    /// <summary>The file whose kernel the one-line kernel edit changes, and the unrelated (kernel-free) file.</summary>
    public const string EditedKernelFile = "Kernels11.cs";
    public const string UnrelatedFile = "Host.cs";

    public static readonly string[] ShapeNames =
    {
        "Saxpy", "SmoothClamp", "IntegerMix", "BoxFilter", "Collatz", "HashMix", "Conversions", "ThreadIds",
        "Classify", "WorkgroupSum", "Histogram", "SortEights", "Shade", "RunningSums",
    };

    /// <summary>File name -> source text, in a fixed order: Kernels00.cs .. Kernels19.cs, Host.cs, Numerics.cs.</summary>
    public static IReadOnlyList<(string Name, string Text)> Sources()
    {
        var list = new List<(string, string)>();
        for (int f = 0; f < Files; f++) list.Add(($"Kernels{f:00}.cs", KernelFile(f)));
        list.Add((UnrelatedFile, HostFile(1)));
        list.Add(("Numerics.cs", NumericsFile()));
        return list;
    }

    /// <summary>
    /// The one-line kernel edit: the multiplier on the last line of the first Saxpy-shaped kernel of
    /// <see cref="EditedKernelFile"/> changes (same line count, so no other kernel's line numbers move).
    /// <paramref name="version"/> 0 is the original text.
    /// </summary>
    public static string EditKernel(string kernelFileText, int version)
    {
        var (original, edited, _) = KernelEdit(version);
        int at = kernelFileText.IndexOf(original, StringComparison.Ordinal);
        if (at < 0 || kernelFileText.IndexOf(original, at + 1, StringComparison.Ordinal) >= 0)
            throw new InvalidOperationException("The kernel edit site must occur exactly once in " + EditedKernelFile);
        return kernelFileText.Replace(original, edited, StringComparison.Ordinal);
    }

    /// <summary>The one-line unrelated edit: a constant in Host.cs, a file with no kernel.</summary>
    public static string EditUnrelated(int version) => HostFile(1 + version);

    /// <summary>The line the kernel edit replaces, what it becomes, and the kernel it is in.</summary>
    public static (string Original, string Edited, string Kernel) KernelEdit(int version)
    {
        int f = int.Parse(EditedKernelFile.AsSpan(7, 2), CultureInfo.InvariantCulture);
        for (int k = 0; k < KernelsPerFile; k++)
            if (ShapeOf(f, k) == 0)
                return (SaxpyLine(Constant(f, k)), SaxpyLine(Constant(f, k) + 0.125f * version), KernelName(f, k));
        throw new InvalidOperationException("No Saxpy kernel in " + EditedKernelFile);
    }

    private static int ShapeOf(int file, int kernel) => (file * KernelsPerFile + kernel) % Shapes;

    private static string KernelName(int file, int kernel) => $"{ShapeNames[ShapeOf(file, kernel)]}{file:00}{kernel}";

    /// <summary>A float constant that differs per kernel (k/8 steps, exact in binary).</summary>
    private static float Constant(int file, int kernel) => 1f + (file * KernelsPerFile + kernel) % 37 / 8f;

    private static string F(float v) => v.ToString("0.0##", CultureInfo.InvariantCulture) + "f";

    private static string SaxpyLine(float c) => $"        if (i < n) y[i] = a * x[i] + y[i] * {F(c)};";

    private static string KernelFile(int f)
    {
        var sb = new StringBuilder();
        sb.Append("using System.Numerics;\nusing KernelGen;\nusing static KernelGen.Kernel;\n\nnamespace Bench.Kernels;\n\n");
        sb.Append($"/// <summary>Generated benchmark kernels, file {f}.</summary>\n");
        sb.Append($"public static partial class Group{f:00}\n{{\n");
        sb.Append($"    private const int Taps = {3 + 2 * (f % 3)};\n");
        sb.Append("    private const int GroupSize = 64;\n\n");
        for (int k = 0; k < KernelsPerFile; k++)
        {
            sb.Append(Kernel(ShapeOf(f, k), KernelName(f, k), Constant(f, k), f * KernelsPerFile + k));
            sb.Append('\n');
        }
        sb.Append($"    private static float Clamp01(float v) => MathF.Min(MathF.Max(v, 0f), {F(1f + f / 8f)});\n\n");
        sb.Append("    private static float Saturate(float v, float limit)\n    {\n");
        sb.Append("        if (v > limit) v = limit;\n        if (v < -limit) v = -limit;\n        return v * Half();\n    }\n\n");
        sb.Append($"    private static float Half() => {F(0.5f + f / 64f)};\n}}\n");
        return sb.ToString();
    }

    private static string Kernel(int shape, string name, float c, int id) => shape switch
    {
        0 => $$"""
                [ComputeKernel(64)]
                public static void {{name}}(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, float a, uint n)
                {
                    uint i = GlobalId.X;
            {{SaxpyLine(c)}}
                }

            """,
        1 => $$"""
                [ComputeKernel(128)]
                public static void {{name}}(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, float limit, uint n)
                {
                    uint i = GlobalId.X;
                    if (i < n)
                    {
                        float v = x[i] * {{F(c)}};
                        float soft = MathF.Log(1f + MathF.Exp(-MathF.Abs(v))) + MathF.Max(v, 0f);
                        y[i] = MathF.Min(soft, limit) + MathF.Sqrt(MathF.Abs(v)) * 0.25f;
                    }
                }

            """,
        2 => $$"""
                [ComputeKernel(64)]
                public static void {{name}}(ReadOnlyBuffer<int> x, ReadWriteBuffer<int> y, int scale, int offset, uint divisor, uint n)
                {
                    uint i = GlobalId.X;
                    if (i >= n) return;
                    int v = x[i] * scale + offset + {{id}};
                    int d = (int)divisor;
                    if (v < 0)
                    {
                        y[i] = v / d - (int)(i % {{3 + id % 5}}u);
                    }
                    else
                    {
                        y[i] = v % d + (v > {{100 + id}} ? 1 : 0);
                    }
                }

            """,
        3 => $$"""
                [ComputeKernel(64)]
                public static void {{name}}(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint n)
                {
                    uint i = GlobalId.X;
                    if (i >= n) return;
                    float sum = 0f;
                    int count = 0;
                    for (int k = -Taps / 2; k <= Taps / 2; k++)
                    {
                        int j = (int)i + k;
                        if (j < 0 || j >= (int)n) continue;
                        sum += x[j] * {{F(c)}};
                        count++;
                    }
                    y[i] = Clamp01(sum / count);
                }

            """,
        4 => $$"""
                [ComputeKernel(64)]
                public static void {{name}}(ReadOnlyBuffer<uint> start, ReadWriteBuffer<uint> steps, uint cap, uint n)
                {
                    uint i = GlobalId.X;
                    if (i < n)
                    {
                        uint v = start[i] + {{id}}u;
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
                        } while (extra < {{6 + id % 4}}u);
                        steps[i] = s * 10u + extra;
                    }
                }

            """,
        5 => $$"""
                [ComputeKernel(32)]
                public static void {{name}}(ReadOnlyBuffer<int> x, ReadWriteBuffer<int> y, bool invert, int shift, uint n)
                {
                    uint i = GlobalId.X;
                    if (i >= n) return;
                    int v = x[i];
                    v ^= v << shift;
                    v += (int)(i * 2654435761u >> {{1 + id % 7}});
                    y[i] = invert ? ~v : v % {{1000 + id}} - (v & 0xff);
                }

            """,
        6 => $$"""
                [ComputeKernel(64)]
                public static void {{name}}(ReadOnlyBuffer<float> x, ReadWriteBuffer<int> y, float scale, uint n)
                {
                    uint i = GlobalId.X;
                    if (i >= n) return;
                    int acc = (int)i % {{5 + id % 9}};
                    acc += (int)MathF.Max(MathF.Min(x[i] * scale, 1e6f), -1e6f);
                    acc *= 3;
                    float m = float.NegativeInfinity;
                    m = MathF.Max(m, x[i]);
                    float capped = m > 1e30f ? float.PositiveInfinity : m;
                    y[i] = acc + (int)Saturate(capped, {{F(c)}});
                }

            """,
        7 => $$"""
                [ComputeKernel(8, 4)]
                public static void {{name}}(ReadWriteBuffer<uint> ids, uint width, uint height)
                {
                    uint gx = GlobalId.X, gy = GlobalId.Y;
                    if (gx >= width || gy >= height) return;
                    uint o = (gy * width + gx) * 6u;
                    ids[o] = LocalId.X + {{100 + id}}u * LocalId.Y;
                    ids[o + 1u] = WorkgroupId.X + 100u * WorkgroupId.Y;
                    ids[o + 2u] = NumWorkgroups.X + 100u * NumWorkgroups.Y;
                    ids[o + 3u] = LocalIndex;
                    ids[o + 4u] = ids.Length;
                    ids[o + 5u] = GlobalId.Z;
                }

            """,
        8 => $$"""
                [ComputeKernel(64)]
                public static void {{name}}(ReadOnlyBuffer<int> x, ReadWriteBuffer<int> y, uint n)
                {
                    uint i = GlobalId.X;
                    if (i >= n) return;
                    int score = {{id}};
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
                            case 3:
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

            """,
        9 => $$"""
                [ComputeKernel(GroupSize)]
                public static void {{name}}(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> partials, uint n)
                {
                    var tile = WorkgroupArray<float>(GroupSize);
                    uint i = GlobalId.X;
                    uint local = LocalIndex;
                    tile[local] = i < n ? x[i] * {{F(c)}} : 0f;
                    WorkgroupBarrier();
                    for (uint stride = GroupSize / 2; stride > 0; stride >>= 1)
                    {
                        if (local < stride) tile[local] += tile[local + stride];
                        WorkgroupBarrier();
                    }
                    if (local == 0) partials[WorkgroupId.X] = tile[0];
                }

            """,
        10 => $$"""
                [ComputeKernel(64)]
                public static void {{name}}(ReadOnlyBuffer<int> values, ReadWriteBuffer<uint> bins, ReadWriteBuffer<int> extremes, uint n)
                {
                    uint i = GlobalId.X;
                    if (i >= n) return;
                    int v = values[i] + {{id}};
                    uint bin = (uint)(v & 15);
                    Atomic.Add(bins, bin, 1u);
                    Atomic.Min(extremes, 0u, v);
                    Atomic.Max(extremes, 1u, v);
                }

            """,
        11 => $$"""
                [ComputeKernel(32)]
                public static void {{name}}(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, uint groups)
                {
                    uint g = GlobalId.X;
                    if (g >= groups) return;
                    Span<float> v = stackalloc float[8];
                    for (int k = 0; k < v.Length; k++) v[k] = x[g * 8u + (uint)k] * {{F(c)}};
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

            """,
        12 => $$"""
                [ComputeKernel(64)]
                public static void {{name}}(ReadOnlyBuffer<Vector4> x, ReadWriteBuffer<Vector4> y, ReadWriteBuffer<float> lengths,
                    Vector4 scale, float bias, Vector2 range, uint n)
                {
                    uint i = GlobalId.X;
                    if (i >= n) return;
                    Vector4 v = x[i] * scale + new Vector4(bias);
                    v -= Vector4.One * {{F(c / 4f)}};
                    Vector4 mixed = Vector4.Lerp(v, Vector4.Normalize(v + new Vector4(0.5f, 0f, 0f, 0f)), 0.3f);
                    mixed = Vector4.Clamp(mixed, new Vector4(range.X), new Vector4(range.Y));
                    mixed.W = Vector4.Dot(mixed, v);
                    if (mixed == Vector4.Zero) mixed.X = 1f;
                    y[i] = -mixed / 2f;
                    lengths[i] = v.Length() + Vector2.Distance(range, new Vector2(mixed.X, mixed.Y)) + v.LengthSquared() * 0.01f;
                }

            """,
        13 => $$"""
                [ComputeKernel(32)]
                public static void {{name}}(ReadOnlyBuffer<Vector4> x, ReadWriteBuffer<Vector4> sums, uint rows, uint cols)
                {
                    uint r = GlobalId.X;
                    if (r >= rows) return;
                    Span<Vector4> acc = stackalloc Vector4[2];
                    for (uint c = 0; c < cols; c++)
                    {
                        acc[0] += x[r * cols + c] * {{F(c)}};
                        acc[1] = Vector4.Max(acc[1], x[r * cols + c]);
                    }
                    sums[r * 2u] = acc[0];
                    sums[r * 2u + 1u] = acc[1];
                }

            """,
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>An ordinary class with no kernel: the target of the unrelated edit.</summary>
    private static string HostFile(int revision) => $$"""
        namespace Bench;

        /// <summary>Host-side code of the benchmark project; no kernels here.</summary>
        public static class Host
        {
            public const int Revision = {{revision}};

            public static float[] Ramp(int n)
            {
                var values = new float[n];
                for (int i = 0; i < n; i++) values[i] = i * 0.5f + Revision;
                return values;
            }

            public static string Describe(IReadOnlyList<float> values) =>
                $"{values.Count} values, sum {values.Sum()}, revision {Revision}";
        }

        """;

    /// <summary>A second kernel-free file, so the project is not all kernels.</summary>
    private static string NumericsFile() => """
        namespace Bench;

        /// <summary>CPU reference helpers of the benchmark project.</summary>
        public static class Numerics
        {
            public static float Saxpy(float a, float x, float y) => a * x + y;

            public static int CollatzSteps(uint v, uint cap)
            {
                int s = 0;
                while (v != 1u && v != 0u && s < cap)
                {
                    v = (v & 1u) == 0u ? v >> 1 : 3u * v + 1u;
                    s++;
                }
                return s;
            }

            public static (float Min, float Max) Range(ReadOnlySpan<float> values)
            {
                float min = float.PositiveInfinity, max = float.NegativeInfinity;
                foreach (var v in values)
                {
                    min = MathF.Min(min, v);
                    max = MathF.Max(max, v);
                }
                return (min, max);
            }
        }

        """;
}
