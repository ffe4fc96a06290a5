using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace KernelGen.Cli.Commands;

/// <summary>
/// The options of the commands, each checked where it is parsed (number, range, choice, existing file), so a bad value
/// is a parse error with a message that names the option, the rule and the value, before anything runs.
/// </summary>
internal static class CliOptions
{
    /// <summary>An integer option: <paramref name="fallback"/> when absent, at least <paramref name="min"/>.</summary>
    public static Option<int> Int(string name, string description, int fallback, int min = 1) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => fallback,
        CustomParser = r => ParseInt(r, name, min) ?? fallback,
    };

    /// <summary>An optional integer option (null when absent: the command picks, as its description says).</summary>
    public static Option<int?> OptionalInt(string name, string description, int min = 1) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = r => ParseInt(r, name, min),
    };

    /// <summary>A number option: finite, at least <paramref name="min"/> (or above it when <paramref name="positive"/>).</summary>
    public static Option<float> Float(string name, string description, float fallback, float min = 0f, bool positive = false) => new(name)
    {
        Description = description,
        HelpName = "X",
        DefaultValueFactory = _ => fallback,
        CustomParser = r => ParseFloat(r, name, min, positive) ?? fallback,
    };

    /// <summary>An optional number option (null when absent: the command picks, as its description says).</summary>
    public static Option<float?> OptionalFloat(string name, string description, float min = 0f, bool positive = false) => new(name)
    {
        Description = description,
        HelpName = "X",
        CustomParser = r => ParseFloat(r, name, min, positive),
    };

    /// <summary>One of <paramref name="values"/> (any case; read in lower case).</summary>
    public static Option<string> Choice(string name, string description, string fallback, params string[] values)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            HelpName = string.Join('|', values),
            DefaultValueFactory = _ => fallback,
            CustomParser = r =>
            {
                string value = r.Tokens[0].Value;
                if (values.Contains(value, StringComparer.OrdinalIgnoreCase)) return value.ToLowerInvariant();
                r.AddError($"{name} must be one of {string.Join(", ", values)}; got '{value}'.");
                return fallback;
            },
        };
        option.CompletionSources.Add(values);
        return option;
    }

    /// <summary>--backend auto|webgpu|cpu.</summary>
    public static Option<string> Backend() =>
        Choice("--backend", "where the kernels run: WebGPU where an adapter exists (auto), WebGPU or fail, or the CPU backend", "auto", "auto", "webgpu", "cpu");

    /// <summary>A folder to write into (created when missing).</summary>
    public static Option<string?> OutFolder(string description) => Checked(new Option<string?>("--out") { Description = description, HelpName = "FOLDER" },
        value => value.Length == 0 || value.IndexOfAny(Path.GetInvalidPathChars()) >= 0 ? "is not a usable path" : null);

    /// <summary>--data-dir FOLDER: where data files are looked up first (as KERNELGEN_DATA); it must exist.</summary>
    public static Option<string?> DataDirectory() => ExistingFolder("--data-dir",
        "a folder to look in first for the data files (its sub-folder mnist/, fashion-mnist/, or the files themselves; as KERNELGEN_DATA)");

    /// <summary>A folder that must exist.</summary>
    public static Option<string?> ExistingFolder(string name, string description) =>
        Checked(new Option<string?>(name) { Description = description, HelpName = "FOLDER" }, value => Directory.Exists(value) ? null : "is not an existing folder");

    /// <summary>A file that must exist.</summary>
    public static Option<string?> ExistingFile(string name, string description) =>
        Checked(new Option<string?>(name) { Description = description, HelpName = "FILE" }, value => File.Exists(value) ? null : "is not an existing file");

    /// <summary>A checkpoint argument: an existing file.</summary>
    public static Argument<string> Checkpoint(string description)
    {
        var argument = new Argument<string>("checkpoint") { Description = description, HelpName = "checkpoint.safetensors" };
        argument.Validators.Add(r =>
        {
            string value = r.GetValueOrDefault<string>();
            if (!File.Exists(value)) r.AddError($"There is no checkpoint file at '{value}'.");
        });
        return argument;
    }

    /// <summary>An option without a value.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    private static Option<string?> Checked(Option<string?> option, Func<string, string?> problem)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Count == 0) return;
            string value = r.Tokens[0].Value;
            if (problem(value) is { } text) r.AddError($"{option.Name} {text}: '{value}'.");
        });
        return option;
    }

    private static int? ParseInt(ArgumentResult r, string name, int min)
    {
        string value = r.Tokens[0].Value;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min) return n;
        r.AddError($"{name} must be an integer >= {min}; got '{value}'.");
        return null;
    }

    private static float? ParseFloat(ArgumentResult r, string name, float min, bool positive)
    {
        string value = r.Tokens[0].Value;
        if (float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) && float.IsFinite(f) && (positive ? f > min : f >= min)) return f;
        string rule = positive ? $"a number > {min.ToString(CultureInfo.InvariantCulture)}" : $"a number >= {min.ToString(CultureInfo.InvariantCulture)}";
        r.AddError($"{name} must be {rule}; got '{value}'.");
        return null;
    }
}
