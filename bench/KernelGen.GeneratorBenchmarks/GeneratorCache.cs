using System.Reflection;

namespace KernelGen.GeneratorBenchmarks;

/// <summary>
/// The generator's kernel analysis cache, reached by reflection so that this program also builds and runs against
/// generators that have none (to measure "before"): then clearing does nothing and no analysis is counted.
/// </summary>
internal static class GeneratorCache
{
    private static readonly Type? CacheType = typeof(KernelGenerator).Assembly.GetType("KernelGen.Caching.KernelAnalysisCache");

    private static int analysed;

    static GeneratorCache()
    {
        var analysedEvent = CacheType?.GetEvent("Analysed", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
        analysedEvent?.GetAddMethod(nonPublic: true)?.Invoke(null, new object[] { new Action<string>(_ => Interlocked.Increment(ref analysed)) });
    }

    public static bool Exists => CacheType is not null;

    /// <summary>Kernels really analysed (not served from the cache) since the process started.</summary>
    public static int Analysed => Volatile.Read(ref analysed);

    /// <summary>Empties the cache, as in a new compiler process.</summary>
    public static void Clear()
    {
        var shared = CacheType?.GetField("Shared", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(null);
        CacheType?.GetMethod("Clear", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.Invoke(shared, null);
    }
}
