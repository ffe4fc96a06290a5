namespace KernelGen.Generator.Tests.Robustness;

/// <summary>
/// C# a kernel cannot mean on the GPU what it means on the CPU: each must be rejected with a diagnostic, never
/// translated into something else. Each goes into the body (or signature) of kernel <c>K</c> in <see cref="Template"/>,
/// whose class also holds a field, a property, an event, a delegate type and helpers for the constructs that need
/// them. <see cref="BorderlineConstructs"/> has the constructs the generator may translate or reject.
/// </summary>
internal static class UnsupportedConstructs
{
    public const string Template = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Numerics;
        using System.Threading.Tasks;
        using KernelGen;
        namespace UserCode;

        public delegate float Op(float v);

        public static partial class Ops
        {
            static float field = 1f;
            static float Property => 2f;
            static event Action? Changed;
            static float Helper(float v) => v * 2f;
            static float Recursive(float v) => v <= 0f ? 0f : Recursive(v - 1f);
            static bool IsEven(int v) => v == 0 || IsOdd(v - 1);
            static bool IsOdd(int v) => v != 0 && IsEven(v - 1);
            static T Generic<T>(T v) => v;
            static void Fill(ref float v) => v = 1f;
            static float Sum(params float[] values) => 0f;
            static float select(float v) => v + 1f;
            static float Scale(float v, float @params) { v *= @params; return v; }
            static void Nothing(float v) { }
            static uint ThreadX() => Kernel.GlobalId.X;

            [ComputeKernel(64)]
            /*SIGNATURE*/
            {
                uint i = Kernel.GlobalId.X;
                /*BODY*/
            }
        }
        """;

    public const string Signature =
        "public static void K(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, ReadWriteBuffer<int> ints, float a, int count, uint n)";

    public static CorpusInput Body(string name, string body, Verdict verdict) =>
        new("body: " + name, Template.Replace("/*SIGNATURE*/", Signature).Replace("/*BODY*/", body), verdict);

    private static readonly (string Name, string Body)[] Bodies =
    {
        // Exceptions, objects, strings, reflection, threads, I/O: no GPU meaning.
        ("throw statement", "if (count < 0) throw new ArgumentException(); y[i] = 1f;"),
        ("throw expression", "y[i] = count >= 0 ? 1f : throw new ArgumentException();"),
        ("try/catch", "try { y[i] = 1f; } catch (Exception) { y[i] = 0f; }"),
        ("try/finally", "try { y[i] = 1f; } finally { y[i] += 1f; }"),
        ("lock", "lock (typeof(Ops)) { y[i] = 1f; }"),
        ("using statement", "using (var s = new System.IO.MemoryStream()) { y[i] = s.Length; }"),
        ("using declaration", "using var s = new System.IO.MemoryStream(); y[i] = 1f;"),
        ("yield break in a void kernel", "y[i] = 1f; yield break;"),
        ("await", "await Task.Yield(); y[i] = 1f;"),
        ("LINQ method", "y[i] = new[] { 1f, 2f }.Sum();"),
        ("LINQ query", "y[i] = (from v in new[] { 1f, a } where v > 0f select v).First();"),
        ("string interpolation", "string s = $\"{i}\"; y[i] = s.Length;"),
        ("string concatenation", "y[i] = (\"a\" + i).Length;"),
        ("null-coalescing assignment on a string", "string? s = null; s ??= \"a\"; y[i] = s.Length;"),
        ("new object", "var o = new object(); y[i] = o.GetHashCode();"),
        ("type pattern on an object", "object o = x[i]; if (o is float f) y[i] = f;"),
        ("is type", "if (((object)a) is float) y[i] = 1f;"),
        ("as", "var s = ((object)a) as string; y[i] = s == null ? 1f : 0f;"),
        ("typeof", "var t = typeof(float); y[i] = t.Name.Length;"),
        ("typeof comparison", "if (typeof(float) == a.GetType()) y[i] = 1f;"),
        ("dynamic", "dynamic d = a; y[i] = d;"),
        ("object local", "object o = a; y[i] = (float)o;"),
        ("Console", "Console.WriteLine(i);"),
        ("ToString", "y[i] = a.ToString().Length;"),
        ("event subscription", "Changed += () => { }; y[i] = 1f;"),
        ("event invocation", "Changed?.Invoke(); y[i] = 1f;"),

        // Shared mutable state of the class: every invocation would need its own copy or a data race.
        ("field read", "y[i] = field;"),
        ("field write", "field = a; y[i] = 1f;"),

        // Types WGSL lacks (64-bit, decimal); C# computes mixed int/uint in long.
        ("decimal local", "decimal m = 1.5m; y[i] = (float)m;"),
        ("long local", "long l = count; ints[i] = (int)l;"),
        ("ulong local", "ulong l = n; ints[i] = (int)l;"),
        ("nint local", "nint p = count; ints[i] = (int)p;"),
        ("double local", "double d = a; y[i] = (float)d;"),
        ("double math", "y[i] = (float)Math.Sqrt(a);"),
        ("negated uint", "ints[i] = (int)-n;"),
        ("int and uint mixed", "if (count < n) y[i] = 1f;"),
        ("Math.Round with digits", "y[i] = MathF.Round(a, 2);"),

        // Pointers and references: a copy would silently drop the writes through them. (Change to borderline if
        // ref locals ever map to WGSL pointers, with a parity test.)
        ("fixed", "unsafe { fixed (float* p = new float[1]) { y[i] = *p; } }"),
        ("pointer", "unsafe { float v = a; float* p = &v; y[i] = *p; }"),
        ("stackalloc pointer", "unsafe { float* s = stackalloc float[4]; s[0] = a; y[i] = s[0]; }"),
        ("ref local", "float v = x[i]; ref float r = ref v; r = 5f; y[i] = v;"),
        ("ref to parameter", "ref float r = ref a; r = 5f; y[i] = a;"),
        ("span aliasing a stackalloc", "Span<float> s = stackalloc float[2]; Span<float> t = s; t[0] = 5f; y[i] = s[0];"),

        // A constant index past a fixed-size array: C# throws at run time, WGSL rejects the shader.
        ("constant index past a stackalloc", "Span<float> s = stackalloc float[4]; y[i] = s[4];"),
        ("constant index past a workgroup array", "var t = Kernel.WorkgroupArray<float>(4); t[0] = a; Kernel.WorkgroupBarrier(); y[i] = t[4];"),

        // checked arithmetic throws in C# and wraps in WGSL.
        ("checked expression", "ints[i] = checked(count * 1000);"),

        // WGSL forbids recursion.
        ("recursive helper", "y[i] = Recursive(a);"),
        ("mutually recursive helpers", "if (IsEven(count)) y[i] = 1f;"),

        // Refused by the kernel language reference (docs/kernel-language.md).
        ("stackalloc of a non-constant length", "Span<float> s = stackalloc float[count]; y[i] = s[0];"),
        ("workgroup array not at the top level", "if (a > 0f) { var t = Kernel.WorkgroupArray<float>(4); t[0] = a; y[i] = t[0]; }"),
        ("workgroup array over 16 KiB", "var t = Kernel.WorkgroupArray<float>(8192); t[0] = a; y[i] = t[0];"),
        ("workgroup array of a non-constant length", "var t = Kernel.WorkgroupArray<float>(count); t[0] = a; y[i] = t[0];"),
        ("barrier in non-uniform control flow", "if (i < n) Kernel.WorkgroupBarrier(); y[i] = 1f;"),
        ("barrier after a non-uniform return", "if (i >= n) return; Kernel.WorkgroupBarrier(); y[i] = 1f;"),
        ("compound assignment on an atomic buffer", "Atomic.Add(ints, 0u, 1); ints[i] += 1;"),
    };

    /// <summary>Kernels whose signature is the point: name, signature, body, and whether K must be rejected.</summary>
    private static readonly (string Name, string Signature, string Body, Verdict Verdict)[] Signatures =
    {
        ("async void kernel", "public static async void K(ReadWriteBuffer<float> y)", "await Task.Yield(); y[i] = 1f;", Verdict.Rejected),
        ("async kernel without await", "public static async void K(ReadWriteBuffer<float> y)", "y[i] = 1f;", Verdict.Rejected),
        ("iterator kernel", "public static IEnumerable<int> K(ReadWriteBuffer<float> y)", "yield return 1;", Verdict.Rejected),
        ("unsafe kernel", "public static unsafe void K(ReadWriteBuffer<float> y, float a)", "float* p = &a; y[i] = *p;", Verdict.Rejected),
        ("ref parameter", "public static void K(ReadWriteBuffer<float> y, ref float a)", "y[i] = a;", Verdict.Rejected),
        ("out parameter", "public static void K(ReadWriteBuffer<float> y, out float a)", "a = 1f; y[i] = a;", Verdict.Rejected),
        ("params parameter", "public static void K(ReadWriteBuffer<float> y, params float[] a)", "y[i] = a[0];", Verdict.Rejected),
        ("double buffer", "public static void K(ReadWriteBuffer<double> y)", "y[i] = 1.0;", Verdict.Rejected),
        ("Vector3 buffer", "public static void K(ReadWriteBuffer<Vector3> y)", "y[i] = Vector3.One;", Verdict.Rejected),
        ("long scalar", "public static void K(ReadWriteBuffer<float> y, long v)", "y[i] = v;", Verdict.Rejected),
        ("generic kernel", "public static void K<T>(ReadWriteBuffer<float> y)", "y[i] = 1f;", Verdict.Rejected),
        ("instance kernel", "public void K(ReadWriteBuffer<float> y)", "y[i] = 1f;", Verdict.Rejected),
        ("kernel returning a value", "public static int K(ReadWriteBuffer<float> y)", "y[i] = 1f; return 0;", Verdict.Rejected),

        // Translate or reject, but never break.
        ("specialised parameter", "public static void K(ReadWriteBuffer<float> y, [Specialize(1, 4, 7)] int taps, float a)", "Span<float> s = stackalloc float[taps]; s[taps - 1] = a; y[i] = s[0] + taps;", Verdict.Either),
        ("specialised uint parameter used as a workgroup array length", "public static void K(ReadWriteBuffer<float> y, [Specialize(2, 64)] uint size)", "var t = Kernel.WorkgroupArray<float>((int)size); t[0] = 1f; Kernel.WorkgroupBarrier(); y[i] = t[0];", Verdict.Either),
        ("specialised with no values", "public static void K(ReadWriteBuffer<float> y, [Specialize] int taps)", "y[i] = taps;", Verdict.Either),
        ("specialised float parameter", "public static void K(ReadWriteBuffer<float> y, [Specialize(1)] float a)", "y[i] = a;", Verdict.Either),
        ("specialised with repeated values", "public static void K(ReadWriteBuffer<float> y, [Specialize(3, 3)] int taps)", "y[i] = taps;", Verdict.Either),
        ("specialised with 33 values", "public static void K(ReadWriteBuffer<float> y, [Specialize(" + string.Join(", ", Enumerable.Range(1, 33)) + ")] int taps)", "y[i] = taps;", Verdict.Either),
        ("two specialised parameters", "public static void K(ReadWriteBuffer<float> y, [Specialize(1, 2)] int p, [Specialize(3, 4)] uint q)", "y[i] = p + q;", Verdict.Either),
        ("in parameter", "public static void K(ReadWriteBuffer<float> y, in float a)", "y[i] = a;", Verdict.Either),
        ("bool buffer", "public static void K(ReadWriteBuffer<bool> y)", "y[i] = true;", Verdict.Either),
        ("UInt3 buffer", "public static void K(ReadWriteBuffer<UInt3> y)", "y[i] = Kernel.GlobalId;", Verdict.Either),
        ("Vector2 and Vector4 buffers", "public static void K(ReadOnlyBuffer<Vector2> p, ReadWriteBuffer<Vector4> q)", "q[i] = new Vector4(p[i], 0f, 1f);", Verdict.Either),
        ("UInt3 scalar", "public static void K(ReadWriteBuffer<uint> y, UInt3 g)", "y[i] = g.X;", Verdict.Either),
        ("vector scalars", "public static void K(ReadWriteBuffer<float> y, Vector2 p, Vector3 q, float s, Vector4 r)", "y[i] = p.X + q.Y + s + r.W;", Verdict.Either),
        ("bool scalar", "public static void K(ReadWriteBuffer<float> y, bool flag)", "if (flag) y[i] = 1f;", Verdict.Either),
        ("extension kernel", "public static void K(this ReadWriteBuffer<float> y, float a)", "y[i] = a;", Verdict.Either),
        ("optional parameter", "public static void K(ReadWriteBuffer<float> y, float a = 2f)", "y[i] = a;", Verdict.Either),
        ("no parameters", "public static void K()", "uint j = i;", Verdict.Either),
        ("private kernel", "private static void K(ReadWriteBuffer<float> y)", "y[i] = 1f;", Verdict.Either),
        ("kernel named main", "public static void main(ReadWriteBuffer<float> y)", "y[i] = 1f;", Verdict.Either),
        ("kernel named with a keyword", "public static void @if(ReadWriteBuffer<float> y)", "y[i] = 1f;", Verdict.Either),
        ("kernel named like a WGSL builtin", "public static void select(ReadWriteBuffer<float> y)", "y[i] = 1f;", Verdict.Either),
        ("parameters named like WGSL words", "public static void K(ReadWriteBuffer<float> array, float @params, float Params, uint main, uint global_id)", "array[i] = @params + Params + main + global_id;", Verdict.Either),
        ("parameters named like stub members", "public static void K(ReadWriteBuffer<float> device, ReadWriteBuffer<float> grid, float Info, float BufferNames)", "device[i] = Info; grid[i] = BufferNames;", Verdict.Either),
        ("parameters named like device and grid", "public static void K(ReadWriteBuffer<float> device, ReadWriteBuffer<float> grid, float device_)", "device[i] = device_; grid[i] = 1f;", Verdict.Either),
        ("parameter named __buffers", "public static void K(ReadWriteBuffer<float> y, float __buffers)", "y[i] = __buffers;", Verdict.Either),
        ("parameter named __cpu", "public static void K(ReadWriteBuffer<float> y, float __cpu)", "y[i] = __cpu;", Verdict.Either),
        ("parameter named __uniforms", "public static void K(ReadWriteBuffer<float> y, float __uniforms)", "y[i] = __uniforms;", Verdict.Either),
        ("scalar named like a buffer's CPU view", "public static void K(ReadWriteBuffer<float> y, float __y)", "y[i] = __y;", Verdict.Either),
        ("parameters named with C# keywords", "public static void K(ReadWriteBuffer<float> @class, float @float, uint @event)", "@class[i] = @float + @event;", Verdict.Either),
    };

    public static IEnumerable<CorpusInput> All() =>
        Bodies.Select(b => Body(b.Name, b.Body, Verdict.Rejected))
            .Concat(Signatures.Select(s => new CorpusInput("signature: " + s.Name,
                Template.Replace("/*SIGNATURE*/", s.Signature).Replace("/*BODY*/", s.Body), s.Verdict)))
            .Concat(BorderlineConstructs.All());
}
