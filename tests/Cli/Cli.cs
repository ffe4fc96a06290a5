using System.Diagnostics;
using KernelGen.Cli.Commands;

namespace KernelGen.Cli.Tests;

/// <summary>Runs kernelgen in this process (its output and errors captured) or as a real child process.</summary>
internal static class Cli
{
    public sealed record Result(int Code, string Out, string Error)
    {
        public override string ToString() => $"exit {Code}\n--- stdout\n{Out}\n--- stderr\n{Error}";
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await KernelGenCli.RunAsync(args, CliContext.For(output, error));
        return new Result(code, output.ToString(), error.ToString());
    }

    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kernelgen.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    public static async Task<Result> RunProcessAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        string output = await stdout;
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, output, stderr);
    }

    /// <summary>A temporary folder, deleted on dispose.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("kernelgen-cli-").FullName;

        public string this[string name] => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
    }
}
