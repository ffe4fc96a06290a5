using System.Diagnostics;
using KernelGen.Cpu;

namespace KernelGen.CpuBenchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/KernelGen.CpuBenchmarks -- lockstep [rounds]</c>: was it worth running the
/// naive matmul's uniform <c>k</c> loop once per workgroup with the work-item loop inside it ("lockstep"), so that the
/// 256 add chains of a workgroup interleave instead of each running to completion? Hand-written work-group functions,
/// all run through the CPU device's <see cref="CpuDevice.RunWorkgroups"/> as the generated stub does, at n = 256:
/// the generated code as it is, lockstep as the barrier machinery would emit it (locals live across the loop in
/// per-invocation spans, the condition read from invocation 0, exited flags), a leaner hand-tuned lockstep, and four
/// neighbouring work items interleaved with their locals in registers. Each variant's result is first compared
/// bit for bit with the generated code's. Rounds alternate the variants; medians and ranges are printed.
/// The probe that led to the generator's lanes (LanePlan: the last form, with buffers indexed through spans); its
/// "generated" variant is the code the generator wrote before that.
/// </summary>
public static class LockstepProbe
{
    private const int N = 256;

    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 && int.TryParse(args[0], out int r) ? r : 15;
        using var device = ComputeDevice.OpenCpu();
        var cpu = (CpuDevice)device;
        var info = new KernelInfo("LockstepProbe.NaiveMatmul", "", 16, 16, 1, "a:r b:r c:rw", 16, false, "LockstepProbe.cs", "");
        using var ga = device.CreateBuffer<float>(Data.Random(N * N, 3));
        using var gb = device.CreateBuffer<float>(Data.Random(N * N, 4));
        using var gc = device.CreateBuffer<float>(N * N);
        var a = ga.AsReadOnly();
        var b = gb.AsReadOnly();
        var c = gc.AsReadWrite();
        (string Name, Action<WorkgroupIds> Workgroup)[] variants =
        [
            ("generated (each work item's k loop to completion)", wg => Generated(wg, a, b, c, N)),
            ("lockstep as the barrier machinery emits it", wg => LockstepSpans(wg, a, b, c, N)),
            ("lockstep, hand-tuned (shared k, sum in a span)", wg => LockstepLean(wg, a, b, c, N)),
            ("4 work items interleaved in registers", wg => FourInRegisters(wg, a, b, c, N)),
        ];
        cpu.RunWorkgroups(info, (N, N), variants[0].Workgroup);
        var reference = gc.Read();
        foreach (var (name, workgroup) in variants)
        {
            gc.Upload(new float[N * N]);
            cpu.RunWorkgroups(info, (N, N), workgroup);
            if (!reference.AsSpan().SequenceEqual(gc.Read())) throw new InvalidOperationException($"{name}: differs from the generated code");
        }
        Console.WriteLine($"{Environment.ProcessorCount} cores; naive matmul n = {N}; all variants bit-identical to the generated code");
        var times = variants.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
            for (int v = 0; v < variants.Length; v++)
            {
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < 5; i++) cpu.RunWorkgroups(info, (N, N), variants[v].Workgroup);
                times[v].Add(watch.Elapsed.TotalMilliseconds / 5);
            }
        double baseline = Median(times[0]);
        for (int v = 0; v < variants.Length; v++)
            Console.WriteLine($"{variants[v].Name,-52} median {Median(times[v]),6:F2} ms  range {times[v].Min(),6:F2}-{times[v].Max(),6:F2}  {baseline / Median(times[v]):F2}x the generated code");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>The generated CpuWorkgroup of KernelGenKernels.NaiveMatmul, as emitted (labels turned into continue).</summary>
    private static void Generated(WorkgroupIds wg, ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadWriteBuffer<float> c, uint n)
    {
        uint ox = wg.WorkgroupId.X * 16u, oy = wg.WorkgroupId.Y * 16u, oz = wg.WorkgroupId.Z;
        ref UInt3 gid = ref WorkgroupIds.CurrentGlobalId;
        for (uint ly = 0u; ly < 16u; ly++)
            for (uint lx = 0u; lx < 16u; lx++)
            {
                gid = new UInt3(ox + lx, oy + ly, oz);
                uint col = ox + lx, row = oy + ly;
                if (row >= n || col >= n) continue;
                float sum = 0f;
                for (uint k = 0u; k < n; k++) sum += a[row * n + k] * b[k * n + col];
                c[row * n + col] = sum;
            }
    }

    /// <summary>
    /// The k loop as a workgroup-level loop in the form the barrier path emits: one region before it, the loop
    /// condition read from invocation 0's k, one work-item loop per iteration that loads and stores every local it
    /// uses from its per-invocation span, one region after it; invocations that returned are skipped.
    /// </summary>
    private static void LockstepSpans(WorkgroupIds wg, ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadWriteBuffer<float> c, uint n)
    {
        const int size = 256;
        uint ox = wg.WorkgroupId.X * 16u, oy = wg.WorkgroupId.Y * 16u, oz = wg.WorkgroupId.Z;
        ref UInt3 gid = ref WorkgroupIds.CurrentGlobalId;
        Span<bool> exited = stackalloc bool[size];
        Span<uint> colAll = stackalloc uint[size], rowAll = stackalloc uint[size], kAll = stackalloc uint[size];
        Span<float> sumAll = stackalloc float[size];
        int lid = 0;
        for (uint ly = 0u; ly < 16u; ly++)
            for (uint lx = 0u; lx < 16u; lx++, lid++)
            {
                gid = new UInt3(ox + lx, oy + ly, oz);
                uint col = ox + lx, row = oy + ly;
                if (row >= n || col >= n) { exited[lid] = true; continue; }
                colAll[lid] = col; rowAll[lid] = row; sumAll[lid] = 0f; kAll[lid] = 0u;
            }
        while (true)
        {
            gid = new UInt3(ox, oy, oz);
            if (!(kAll[0] < n)) break;
            lid = 0;
            for (uint ly = 0u; ly < 16u; ly++)
                for (uint lx = 0u; lx < 16u; lx++, lid++)
                {
                    if (exited[lid]) continue;
                    gid = new UInt3(ox + lx, oy + ly, oz);
                    uint col = colAll[lid], row = rowAll[lid], k = kAll[lid];
                    float sum = sumAll[lid];
                    sum += a[row * n + k] * b[k * n + col];
                    k++;
                    sumAll[lid] = sum; kAll[lid] = k;
                }
        }
        lid = 0;
        for (uint ly = 0u; ly < 16u; ly++)
            for (uint lx = 0u; lx < 16u; lx++, lid++)
            {
                if (exited[lid]) continue;
                gid = new UInt3(ox + lx, oy + ly, oz);
                c[rowAll[lid] * n + colAll[lid]] = sumAll[lid];
            }
    }

    /// <summary>Lockstep with as little per-invocation state as possible: one shared k, ids recomputed, only sum in a span.</summary>
    private static void LockstepLean(WorkgroupIds wg, ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadWriteBuffer<float> c, uint n)
    {
        uint ox = wg.WorkgroupId.X * 16u, oy = wg.WorkgroupId.Y * 16u;
        Span<bool> exited = stackalloc bool[256];
        Span<float> sumAll = stackalloc float[256];
        int lid = 0;
        for (uint ly = 0u; ly < 16u; ly++)
            for (uint lx = 0u; lx < 16u; lx++, lid++)
            {
                if (oy + ly >= n || ox + lx >= n) exited[lid] = true;
                else sumAll[lid] = 0f;
            }
        for (uint k = 0u; k < n; k++)
        {
            lid = 0;
            for (uint ly = 0u; ly < 16u; ly++)
                for (uint lx = 0u; lx < 16u; lx++, lid++)
                    if (!exited[lid]) sumAll[lid] += a[(oy + ly) * n + k] * b[k * n + ox + lx];
        }
        lid = 0;
        for (uint ly = 0u; ly < 16u; ly++)
            for (uint lx = 0u; lx < 16u; lx++, lid++)
                if (!exited[lid]) c[(oy + ly) * n + ox + lx] = sumAll[lid];
    }

    /// <summary>A different transformation: four neighbouring work items step through k together, locals in registers.</summary>
    private static void FourInRegisters(WorkgroupIds wg, ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadWriteBuffer<float> c, uint n)
    {
        uint ox = wg.WorkgroupId.X * 16u, oy = wg.WorkgroupId.Y * 16u;
        for (uint ly = 0u; ly < 16u; ly++)
            for (uint lx = 0u; lx < 16u; lx += 4u)
            {
                uint row = oy + ly, c0 = ox + lx, c1 = c0 + 1u, c2 = c0 + 2u, c3 = c0 + 3u;
                bool e0 = row >= n || c0 >= n, e1 = row >= n || c1 >= n, e2 = row >= n || c2 >= n, e3 = row >= n || c3 >= n;
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (uint k = 0u; k < n; k++)
                {
                    if (!e0) s0 += a[row * n + k] * b[k * n + c0];
                    if (!e1) s1 += a[row * n + k] * b[k * n + c1];
                    if (!e2) s2 += a[row * n + k] * b[k * n + c2];
                    if (!e3) s3 += a[row * n + k] * b[k * n + c3];
                }
                if (!e0) c[row * n + c0] = s0;
                if (!e1) c[row * n + c1] = s1;
                if (!e2) c[row * n + c2] = s2;
                if (!e3) c[row * n + c3] = s3;
            }
    }
}
