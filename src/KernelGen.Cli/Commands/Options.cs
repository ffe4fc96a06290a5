using System.Globalization;

namespace KernelGen.Cli.Commands;

/// <summary>A command-line value that cannot be used: printed with the usage line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// <c>--name value</c> options after a command's positional arguments. Every value is checked where it is read
/// (number, range), and an option nobody read is an error, so a typo is never silently ignored.
/// </summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    public Options(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string arg = list[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) { Positional.Add(arg); continue; }
            if (FlagNames.Contains(arg[2..])) { values[arg[2..]] = "true"; continue; }
            if (i + 1 >= list.Count || list[i + 1].StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"Option {arg} needs a value.");
            values[arg[2..]] = list[++i];
        }
    }

    /// <summary>Options that take no value (<c>--resume</c>).</summary>
    private static readonly HashSet<string> FlagNames = new(StringComparer.Ordinal) { "resume" };

    public List<string> Positional { get; } = [];

    /// <summary>Whether the flag <c>--name</c> (one of <see cref="FlagNames"/>) was given.</summary>
    public bool Flag(string name)
    {
        read.Add(name);
        return values.ContainsKey(name);
    }

    public string Text(string name, string fallback, params string[] allowed)
    {
        read.Add(name);
        if (!values.TryGetValue(name, out var value)) return fallback;
        if (allowed.Length > 0 && !allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
            throw new UsageException($"--{name} must be one of {string.Join(", ", allowed)}; got '{value}'.");
        return value.ToLowerInvariant() is var lower && allowed.Length > 0 ? lower : value;
    }

    public int Int(string name, int fallback, int min = 1)
    {
        read.Add(name);
        if (!values.TryGetValue(name, out var value)) return fallback;
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min)
            throw new UsageException($"--{name} must be an integer >= {min}; got '{value}'.");
        return n;
    }

    public float Float(string name, float fallback)
    {
        read.Add(name);
        if (!values.TryGetValue(name, out var value)) return fallback;
        if (!float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) || !float.IsFinite(f) || f < 0)
            throw new UsageException($"--{name} must be a non-negative number; got '{value}'.");
        return f;
    }

    /// <summary>Refuses options that no part of the command read.</summary>
    public void RejectUnknown()
    {
        var unknown = values.Keys.Where(k => !read.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"Unknown option{(unknown.Count > 1 ? "s" : "")}: {string.Join(", ", unknown.Select(u => "--" + u))}.");
    }
}
