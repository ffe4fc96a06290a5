using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace KernelGen.Tests;

/// <summary>
/// Snapshot testing in a few lines: compares text with <c>snapshots/&lt;File&gt;.&lt;Test&gt;[.&lt;name&gt;].verified.&lt;ext&gt;</c>
/// next to the test. On a mismatch or a missing snapshot it writes <c>*.received.*</c> beside it and fails with the
/// first differing line. Accepting is explicit: <c>KERNELGEN_ACCEPT_SNAPSHOTS=1 dotnet test</c>, refused when CI is set.
/// </summary>
public static class Snapshot
{
    public static void Verify(string actual, string extension, string? name = null,
        [CallerFilePath] string testFile = "", [CallerMemberName] string testName = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(testFile)!, "snapshots");
        var stem = Path.Combine(directory, Path.GetFileNameWithoutExtension(testFile) + "." + testName + (name is null ? "" : "." + name));
        var verified = stem + ".verified." + extension;
        var received = stem + ".received." + extension;
        actual = Normalize(actual);

        bool accept = Environment.GetEnvironmentVariable("KERNELGEN_ACCEPT_SNAPSHOTS") == "1";
        if (accept && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            throw new XunitException("KERNELGEN_ACCEPT_SNAPSHOTS is refused when CI is set: snapshots are accepted by a person, in a commit.");

        string? expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
        if (expected == actual)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        Directory.CreateDirectory(directory);
        if (accept)
        {
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        throw new XunitException(expected is null
            ? $"No snapshot yet: review {received}, then accept it with KERNELGEN_ACCEPT_SNAPSHOTS=1 dotnet test (or rename it to .verified)."
            : $"Snapshot mismatch: {FirstDifference(expected, actual)}\n  diff -u {verified} {received}\n" +
              "If the new text is right, accept it with KERNELGEN_ACCEPT_SNAPSHOTS=1 dotnet test.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end of file>";
            var right = i < a.Length ? a[i] : "<end of file>";
            if (left != right) return $"line {i + 1}\n  expected: {left}\n  actual:   {right}";
        }
        return "same lines, different text";
    }
}
