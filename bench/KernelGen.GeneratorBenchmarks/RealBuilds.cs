using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace KernelGen.GeneratorBenchmarks;

/// <summary>
/// <c>build</c>: real <c>dotnet build</c> runs of a temporary project of 200 kernels (outside the repository, deleted
/// afterwards). Each repeat: a clean build (obj/&lt;Configuration&gt; and bin deleted), a rebuild after a one-line edit to
/// one kernel, a rebuild after a one-line edit to a file without kernels, and a clean build without KernelGen's
/// analyzer (the yardstick for the generator's whole cost, including compiling what it generates). Every build runs
/// with <c>-p:ReportAnalyzer=true -v:d -clp:PerformanceSummary</c>; the log gives KernelGen's own execution time (the
/// compiler's stopwatch around the generator), the Csc task's time and MSBuild's elapsed time.
/// </summary>
public static partial class RealBuilds
{
    private sealed record Options(int Repeats, string Configuration, bool Keep, bool Server, bool GeneratorCache, bool ProjectReferences);

    private sealed record Sample(string Kind, double WallMs, double CpuMs, double? CscMs, double? KernelGenMs, double? AllGeneratorsMs,
        double? AnalyzersMs, bool Compiled, bool ViaServer, string Log);

    private const string Clean = "clean build";
    private const string KernelEdit = "kernel edit";
    private const string UnrelatedEdit = "unrelated edit";
    private const string NoGenerator = "clean, no KernelGen";

    public static int Run(string[] args)
    {
        var options = Parse(args);
        var root = Path.Combine(Path.GetTempPath(), "kernelgen-genbench-" + Guid.NewGuid().ToString("N")[..8]);
        var project = Path.Combine(root, "Bench");
        Console.WriteLine($"Temporary project: {project} ({(options.Keep ? "kept" : "deleted at the end")})");
        var serversBefore = CompilerServers();
        try
        {
            Setup(root, project, options);
            Console.WriteLine($"dotnet build -c {options.Configuration}, {options.Repeats} repeats after one warm-up build; " +
                              $"compiler server {(options.Server ? "on (UseSharedCompilation=true)" : "off (UseSharedCompilation=false)")}" +
                              (options.GeneratorCache ? ", /features:enable-generator-cache" : "") + "\n");

            Build(project, options, Clean, warmUp: true); // JIT, disk cache, a compiler server if any: not counted.
            var samples = new List<Sample>();
            for (int r = 0; r < options.Repeats; r++)
            {
                WriteSources(project);
                ResetOutputs(project, options);
                samples.Add(Build(project, options, Clean));

                var kernelFile = Path.Combine(project, KernelCorpus.EditedKernelFile);
                File.WriteAllText(kernelFile, KernelCorpus.EditKernel(File.ReadAllText(kernelFile), r + 1));
                samples.Add(Build(project, options, KernelEdit));

                File.WriteAllText(Path.Combine(project, KernelCorpus.UnrelatedFile), KernelCorpus.EditUnrelated(r + 1));
                samples.Add(Build(project, options, UnrelatedEdit));

                ResetOutputs(project, options);
                samples.Add(Build(project, options, NoGenerator));
            }
            Report(samples, options);
            return 0;
        }
        finally
        {
            if (!options.Keep && Directory.Exists(root)) Directory.Delete(root, recursive: true);
            // A compiler server that this run started (--server) would idle on for minutes: end it, by its id only.
            foreach (var pid in CompilerServers().Except(serversBefore))
            {
                try
                {
                    using var server = Process.GetProcessById(pid);
                    server.Kill();
                    Console.WriteLine($"Ended the compiler server this run started (pid {pid}).");
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                }
            }
        }
    }

    /// <summary>Ids of running VBCSCompiler processes (Linux: from /proc/*/cmdline).</summary>
    private static HashSet<int> CompilerServers()
    {
        var result = new HashSet<int>();
        if (!OperatingSystem.IsLinux()) return result;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                // The server is bincore/VBCSCompiler (apphost) or "dotnet .../VBCSCompiler.dll": look at the first two arguments.
                var argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (argv.Take(2).Any(a => Path.GetFileNameWithoutExtension(a) == "VBCSCompiler")) result.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return result;
    }

    private static Options Parse(string[] args)
    {
        int repeats = 5;
        string configuration = "Debug";
        bool keep = false, server = false, cache = false, projectRefs = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--configuration" or "-c": configuration = args[++i]; break;
                case "--keep": keep = true; break;
                case "--server": server = true; break;
                case "--generator-cache": cache = true; server = true; break;
                case "--project-references": projectRefs = true; break;
                default: throw new ArgumentException("Unknown option " + args[i] +
                    "; use --repeats N, --configuration C, --keep, --server, --generator-cache, --project-references");
            }
        }
        return new Options(repeats, configuration, keep, server, cache, projectRefs);
    }

    private static void Setup(string root, string project, Options options)
    {
        Directory.CreateDirectory(project);
        string references;
        if (options.ProjectReferences)
        {
            // As README.md tells a user inside this repository: project references. This builds src/ too, in its own
            // obj/ (the warm-up compiles it when needed, and then the log holds more than one Csc); the measured builds
            // find src/ up to date.
            var repo = RepoRoot();
            references = $"""
                    <ProjectReference Include="{repo}/src/KernelGen.Runtime/KernelGen.Runtime.csproj" />
                    <ProjectReference Include="{repo}/src/KernelGen/KernelGen.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" Condition="'$(KernelGenOff)' != 'true'" />
                """;
        }
        else
        {
            // As a package would give them: the runtime as a reference, the generator as an analyzer; both are the
            // assemblies this program was built with (copied, so nothing under src/ is built or locked meanwhile).
            var lib = Path.Combine(root, "lib");
            Directory.CreateDirectory(lib);
            foreach (var name in new[] { "KernelGen.dll", "KernelGen.Runtime.dll" })
                File.Copy(Path.Combine(AppContext.BaseDirectory, name), Path.Combine(lib, name));
            references = """
                    <Reference Include="KernelGen.Runtime" HintPath="../lib/KernelGen.Runtime.dll" />
                    <Analyzer Include="../lib/KernelGen.dll" Condition="'$(KernelGenOff)' != 'true'" />
                """;
        }
        File.WriteAllText(Path.Combine(project, "Bench.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Written by KernelGen.GeneratorBenchmarks: 200 kernels in 20 files and two ordinary files. -->
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.ToString(2)}</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <LangVersion>latest</LangVersion>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>

            """);
        // Nothing from the repository's Directory.Build.* or from above /tmp applies; stop the search here anyway.
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />\n");
        WriteSources(project);
        var restore = Exec(project, "restore", options);
        if (restore.ExitCode != 0) throw new InvalidOperationException("dotnet restore failed:\n" + restore.Output);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KernelGen.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("KernelGen.slnx not found above " + AppContext.BaseDirectory);
    }

    private static void WriteSources(string project)
    {
        foreach (var (name, text) in KernelCorpus.Sources()) File.WriteAllText(Path.Combine(project, name), text);
    }

    private static void ResetOutputs(string project, Options options)
    {
        foreach (var dir in new[] { Path.Combine(project, "obj", options.Configuration), Path.Combine(project, "bin") })
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private static Sample Build(string project, Options options, string kind, bool warmUp = false)
    {
        var extra = kind == NoGenerator ? " -p:KernelGenOff=true" : "";
        var (exitCode, output, wall, cpu) = Exec(project,
            $"build --no-restore -c {options.Configuration} -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary{extra}", options);
        if (exitCode != 0) throw new InvalidOperationException($"dotnet build ({kind}) failed:\n" + Tail(output, 60));
        var sample = new Sample(kind, wall, cpu,
            Match(output, CscTime(), ms: true),
            Match(output, KernelGenTime(), ms: false),
            Match(output, GeneratorsTime(), ms: false),
            Match(output, AnalyzersTime(), ms: false),
            CscTime().IsMatch(output),
            output.Contains("server processed compilation", StringComparison.Ordinal),
            output);
        if (sample.Compiled && options.Server != sample.ViaServer)
            Console.WriteLine($"  note: this compilation {(sample.ViaServer ? "ran" : "did not run")} on the compiler server");
        if (sample.Compiled && options.GeneratorCache && !output.Contains("enable-generator-cache", StringComparison.Ordinal))
            throw new InvalidOperationException("--generator-cache: the csc command line has no /features:enable-generator-cache");
        if (kind != NoGenerator && sample.Compiled && sample.KernelGenMs is null)
            throw new InvalidOperationException("Csc ran but the log has no KernelGen line (was the generator loaded?):\n" + Tail(output, 80));
        if (kind == NoGenerator && sample.KernelGenMs is not null)
            throw new InvalidOperationException("KernelGen ran in the build without it.");
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0,-22} wall {1,8:0} ms  cpu {2,8:0} ms  Csc {3,8} ms  KernelGen {4,8} ms  all generators {5,8} ms{6}",
            (warmUp ? "(warm-up) " : "") + kind, wall, cpu, Fmt(sample.CscMs), Fmt(sample.KernelGenMs), Fmt(sample.AllGeneratorsMs),
            sample.Compiled ? "" : "  (CoreCompile skipped)"));
        return sample;
    }

    private static (int ExitCode, string Output, double WallMs, double CpuMs) Exec(string project, string arguments, Options options)
    {
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["UseSharedCompilation"] = options.Server ? "true" : "false";
        if (options.GeneratorCache) info.Environment["Features"] = "enable-generator-cache";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        double cpuBefore = ChildrenCpuMs();
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        sw.Stop();
        return (process.ExitCode, stdout.Result + stderr.Result, sw.Elapsed.TotalMilliseconds, ChildrenCpuMs() - cpuBefore);
    }

    private static void Report(List<Sample> samples, Options options)
    {
        Console.WriteLine();
        Console.WriteLine("Medians [min-max] over " + options.Repeats + " repeats (ms; shares in %):");
        Console.WriteLine("| build | wall (dotnet build) | CPU (child processes) | Csc task | KernelGen generator | KernelGen / wall | KernelGen / Csc | all generators (incl. SDK's) | analyzers (SDK's) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var kind in new[] { Clean, KernelEdit, UnrelatedEdit, NoGenerator })
        {
            var s = samples.Where(x => x.Kind == kind).ToList();
            Console.WriteLine($"| {kind} | {Stat(s.Select(x => x.WallMs))} | {Stat(s.Select(x => x.CpuMs))} | {Stat(s.Select(x => x.CscMs))} | " +
                              $"{Stat(s.Select(x => x.KernelGenMs))} | {Stat(s.Select(x => Share(x.KernelGenMs, x.WallMs)), "0.0")} | " +
                              $"{Stat(s.Select(x => Share(x.KernelGenMs, x.CscMs)), "0.0")} | {Stat(s.Select(x => x.AllGeneratorsMs))} | {Stat(s.Select(x => x.AnalyzersMs))} |");
        }
        var with = samples.Where(x => x.Kind == Clean).ToList();
        var without = samples.Where(x => x.Kind == NoGenerator).ToList();
        // Pairs from the same repeat: what the whole analyzer costs the clean build, generated code compiled included.
        var wallOverhead = with.Zip(without, (a, b) => (double?)(a.WallMs - b.WallMs) / a.WallMs * 100);
        var cscOverhead = with.Zip(without, (a, b) => a.CscMs is { } x && b.CscMs is { } y ? (double?)(x - y) / x * 100 : null);
        Console.WriteLine();
        Console.WriteLine($"Clean build with KernelGen vs without (same repeat): wall +{Stat(with.Zip(without, (a, b) => (double?)(a.WallMs - b.WallMs)))} ms " +
                          $"= {Stat(wallOverhead, "0.0")} % of the build; Csc +{Stat(with.Zip(without, (a, b) => a.CscMs - b.CscMs))} ms = {Stat(cscOverhead, "0.0")} % of Csc.");
        if (options.Server)
            Console.WriteLine("(Compiler server on: csc's CPU time is the server's, not a child's, so the CPU column leaves it out.)");
        else
            Console.WriteLine($"CPU time of the whole build (MSBuild + csc), same pairs: +{Stat(with.Zip(without, (a, b) => (double?)(a.CpuMs - b.CpuMs)))} ms " +
                              $"= {Stat(with.Zip(without, (a, b) => Share(a.CpuMs - b.CpuMs, a.CpuMs)), "0.0")} % of the build's CPU.");
        Console.WriteLine("Goals: KernelGen under 5 % of a clean build, and under 50 ms in a rebuild after a one-line edit.");
        var last = samples.Last(s => s.Kind == KernelEdit);
        Console.WriteLine("\nReportAnalyzer's generator table of the last kernel-edit build:");
        foreach (var line in GeneratorTable(last.Log)) Console.WriteLine(line);
    }

    private static double? Share(double? part, double? whole) => part is { } p && whole is { } w && w > 0 ? p / w * 100 : null;

    private static string Stat(IEnumerable<double?> values, string format = "0")
    {
        var list = values.Where(v => v is not null).Select(v => v!.Value).OrderBy(v => v).ToList();
        if (list.Count == 0) return "-";
        double median = list.Count % 2 == 1 ? list[list.Count / 2] : (list[list.Count / 2 - 1] + list[list.Count / 2]) / 2;
        return string.Format(CultureInfo.InvariantCulture, "{0} [{1}-{2}]",
            median.ToString(format, CultureInfo.InvariantCulture), list[0].ToString(format, CultureInfo.InvariantCulture),
            list[^1].ToString(format, CultureInfo.InvariantCulture));
    }

    private static string Stat(IEnumerable<double> values, string format = "0") => Stat(values.Select(v => (double?)v), format);

    private static string Fmt(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "-";

    private static string Tail(string text, int lines) => string.Join("\n", text.Split('\n').TakeLast(lines));

    private static double? Match(string log, Regex regex, bool ms)
    {
        var m = regex.Match(log);
        if (!m.Success) return null;
        double value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return ms ? value : value * 1000;
    }

    // "      48115 ms  Csc                                        1 calls" (task performance summary)
    [GeneratedRegex(@"^\s*(\d+) ms\s+Csc\s+\d+ calls", RegexOptions.Multiline)]
    private static partial Regex CscTime();

    // "           14.309   87   KernelGen, Version=1.0.0.0, ..." (ReportAnalyzer, generator assemblies)
    [GeneratedRegex(@"^\s*([\d.]+)\s+(?:\d+|<1)\s+KernelGen, Version=", RegexOptions.Multiline)]
    private static partial Regex KernelGenTime();

    [GeneratedRegex(@"Total generator execution time: ([\d.]+) seconds", RegexOptions.Multiline)]
    private static partial Regex GeneratorsTime();

    [GeneratedRegex(@"Total analyzer execution time: ([\d.]+) seconds", RegexOptions.Multiline)]
    private static partial Regex AnalyzersTime();

    private static IEnumerable<string> GeneratorTable(string log)
    {
        var lines = log.Split('\n');
        int start = Array.FindIndex(lines, l => l.Contains("Total generator execution time", StringComparison.Ordinal));
        if (start < 0) yield break;
        yield return lines[start].Trim();
        for (int i = start + 1; i < lines.Length && i < start + 30; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            if (!line.StartsWith("Time (s)", StringComparison.Ordinal) && !TableRow().IsMatch(line)) yield break;
            yield return "  " + line;
        }
    }

    [GeneratedRegex(@"^<?[\d.]+\s+(?:\d+|<1)\s+\S")]
    private static partial Regex TableRow();

    // CPU time of waited-for child processes (dotnet, MSBuild, csc), from getrusage(RUSAGE_CHILDREN).
    private static double ChildrenCpuMs()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        var usage = new RUsage();
        if (GetRUsage(-1, ref usage) != 0) return 0;
        return (usage.UserSec + usage.SystemSec) * 1000.0 + (usage.UserUsec + usage.SystemUsec) / 1000.0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSec, UserUsec, SystemSec, SystemUsec;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVCsw, NIvCsw;
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetRUsage(int who, ref RUsage usage);
}
