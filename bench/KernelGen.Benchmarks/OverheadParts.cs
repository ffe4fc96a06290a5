using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelGen.Benchmarks;

/// <summary>
/// <c>KernelGen.Benchmarks overhead-parts [rounds]</c>: what the pieces of a dispatch's managed path cost that no
/// change to the runtime's own code removes, each alone in a method called 100 000 times per round, the variants
/// taking turns round after round; the report gives the best round per call. Against an empty call: the device
/// lock (<see cref="Lock"/>, and <see cref="Monitor"/> for comparison), a thread-static read (the thread's batch
/// recorder), and a native call from a method of its own (the frame a stub sets up once per call) against the same
/// call in a loop (the raw Dawn loop sets it up once).
/// </summary>
internal static partial class OverheadParts
{
    private const int Calls = 100_000;

    private static readonly Lock Gate = new();
    private static readonly object MonitorGate = new();
    [ThreadStatic]
    private static object? perThread;
    private static int counter;

    [LibraryImport("libc", EntryPoint = "abs")]
    private static partial int Abs(int value);

    public static void Run(int rounds)
    {
        perThread = new object();
        var variants = new (string Name, Action Run)[]
        {
            ("empty call", () => { for (int i = 0; i < Calls; i++) Empty(); }),
            ("lock (System.Threading.Lock) enter and exit", () => { for (int i = 0; i < Calls; i++) WithLock(); }),
            ("lock (Monitor) enter and exit", () => { for (int i = 0; i < Calls; i++) WithMonitor(); }),
            ("thread-static read", () => { for (int i = 0; i < Calls; i++) WithThreadStatic(); }),
            ("one native call, in a method of its own", () => { for (int i = 0; i < Calls; i++) WithNativeCall(); }),
            ("one native call, in the loop", () => { for (int i = 0; i < Calls; i++) counter += Abs(-1); }),
        };
        var best = variants.Select(_ => double.MaxValue).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int v = 0; v < variants.Length; v++)
            {
                long start = Stopwatch.GetTimestamp();
                variants[v].Run();
                best[v] = Math.Min(best[v], Stopwatch.GetElapsedTime(start).TotalNanoseconds / Calls);
            }
        }
        Console.WriteLine($"{rounds} alternating rounds of {Calls} calls; best round, per call");
        Console.WriteLine("| per call | ns |");
        Console.WriteLine("| --- | ---: |");
        for (int v = 0; v < variants.Length; v++)
            Console.WriteLine($"| {variants[v].Name} | {best[v]:0.00} |");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Empty() => counter++;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WithLock()
    {
        lock (Gate) counter++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WithMonitor()
    {
        lock (MonitorGate) counter++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WithThreadStatic()
    {
        if (perThread != null) counter++;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WithNativeCall() => counter += Abs(-1);
}
