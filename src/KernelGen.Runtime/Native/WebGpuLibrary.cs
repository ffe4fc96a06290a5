using System.Reflection;
using System.Runtime.InteropServices;

namespace KernelGen.Native;

/// <summary>
/// Finds Dawn's library (libwebgpu_wrapper.so, copied next to the assemblies by the runtime's .csproj) and routes
/// every <c>[LibraryImport]</c> of this assembly to it. The default probing would also look next to the assembly,
/// but loading it explicitly first lets a missing or broken library become one clear message instead of a
/// DllNotFoundException from the first call.
/// </summary>
internal static class WebGpuLibrary
{
    public const string Name = "webgpu_wrapper";
    public const string FileName = "libwebgpu_wrapper.so";

    private static readonly Lock Gate = new();
    private static nint handle;
    private static string? failure;

    /// <summary>Loads Dawn once per process; on failure returns why (the same text on every later call).</summary>
    public static string? TryLoad()
    {
        lock (Gate)
        {
            if (handle != 0 || failure != null) return failure;
            var tried = new List<string>();
            foreach (var directory in CandidateDirectories())
            {
                var path = Path.Combine(directory, FileName);
                if (!File.Exists(path)) { tried.Add(path + " (absent)"); continue; }
                try
                {
                    handle = NativeLibrary.Load(path);
                    break;
                }
                catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
                {
                    tried.Add($"{path} ({e.Message})");
                }
            }
            if (handle == 0 && !NativeLibrary.TryLoad(FileName, out handle))
                tried.Add(FileName + " on the system library path (absent)");
            if (handle == 0)
            {
                failure = $"Dawn's WebGPU library {FileName} could not be loaded; tried {string.Join("; ", tried)}. " +
                    "It comes from the npm package pinned in native/package-lock.json: build the solution (it runs " +
                    "`npm ci` in native/) or run scripts/install-webgpu-prereqs.sh, so the library is copied next to " +
                    "the app's assemblies.";
                return failure;
            }
            NativeLibrary.SetDllImportResolver(typeof(WebGpuLibrary).Assembly, Resolve);
            return null;
        }
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        yield return AppContext.BaseDirectory;
        var assemblyDirectory = Path.GetDirectoryName(typeof(WebGpuLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory)) yield return assemblyDirectory;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName is Name or FileName ? handle : 0;
}
