using System.Runtime.InteropServices;

namespace KernelGen.Native;

/// <summary>
/// The C library's environment. .NET keeps its own copy of the environment, so
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> never reaches native code such as Mesa's EGL.
/// </summary>
internal static partial class LibC
{
    [LibraryImport("libc.so.6", EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc.so.6", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);

    /// <summary>Sets <paramref name="name"/> for native code unless the native environment already has it.</summary>
    public static void SetDefaultNativeEnvironmentVariable(string name, string value)
    {
        if (!OperatingSystem.IsLinux()) return;
        if (GetEnv(name) != 0) return;
        if (SetEnv(name, value, 0) != 0)
            throw new InvalidOperationException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>The native environment's value of <paramref name="name"/>, or null.</summary>
    public static string? GetNativeEnvironmentVariable(string name)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var value = GetEnv(name);
        return value == 0 ? null : Marshal.PtrToStringUTF8(value);
    }
}
