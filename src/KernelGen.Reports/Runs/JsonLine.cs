using System.Globalization;
using System.Text.Json;

namespace KernelGen.Reports.Runs;

/// <summary>
/// One line of a JSON-lines file: an object whose fields are read by name, each problem reported with the file and
/// the line. Numbers may also be spelled "NaN", "Infinity" or "-Infinity" (what System.Text.Json writes with named
/// floating-point literals allowed); null and a missing field read as absent.
/// </summary>
internal sealed class JsonLine
{
    private readonly JsonElement _root;

    private JsonLine(string path, int number, JsonElement root)
    {
        Path = path;
        LineNumber = number;
        _root = root;
    }

    public string Path { get; }

    public int LineNumber { get; }

    /// <summary>The non-blank lines of <paramref name="path"/>, each an object; a malformed one throws <see cref="RunFormatException"/>.</summary>
    public static List<JsonLine> ReadAll(string path)
    {
        var lines = new List<JsonLine>();
        int number = 0;
        foreach (string text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(text);
                root = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new RunFormatException(path, number, $"malformed JSON ({e.Message})", e);
            }
            if (root.ValueKind != JsonValueKind.Object)
                throw new RunFormatException(path, number, $"expected a JSON object, got {root.ValueKind}");
            lines.Add(new JsonLine(path, number, root));
        }
        return lines;
    }

    public RunFormatException Error(string problem) => new(Path, LineNumber, problem);

    /// <summary>The fields of the object whose value is a number (or a named floating-point literal), in order.</summary>
    public IReadOnlyDictionary<string, double> Numbers()
    {
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in _root.EnumerateObject())
            if (TryNumber(property.Value, out double value)) numbers[property.Name] = value;
        return numbers;
    }

    /// <summary>The number <paramref name="name"/>, or null when it is missing or null.</summary>
    public double? Number(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return TryNumber(value, out double number) ? number : throw Error($"field \"{name}\" should be a number, got {Describe(value)}");
    }

    /// <summary>The number <paramref name="name"/>, or else <paramref name="alias"/> (two spellings of one field).</summary>
    public double? Number(string name, string alias) => Number(name) ?? Number(alias);

    public double RequiredNumber(string name) => Number(name) ?? throw Error($"field \"{name}\" is missing");

    public int? Integer(string name)
    {
        if (Number(name) is not double value) return null;
        return value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue
            ? (int)value : throw Error($"field \"{name}\" should be an integer, got {value.ToString(CultureInfo.InvariantCulture)}");
    }

    public int RequiredInteger(string name) => Integer(name) ?? throw Error($"field \"{name}\" is missing");

    public string? Text(string name)
    {
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error($"field \"{name}\" should be a string, got {Describe(value)}");
    }

    public IReadOnlyList<string> RequiredTexts(string name) =>
        RequiredArray(name).Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()!
            : throw Error($"element {i} of \"{name}\" should be a string, got {Describe(e)}")).ToArray();

    /// <summary>An array of numbers; a null element reads as NaN (a value that was not finite).</summary>
    public IReadOnlyList<double> RequiredNumbers(string name) =>
        RequiredArray(name).Select((e, i) => e.ValueKind == JsonValueKind.Null ? double.NaN
            : TryNumber(e, out double v) ? v : throw Error($"element {i} of \"{name}\" should be a number, got {Describe(e)}")).ToArray();

    private List<JsonElement> RequiredArray(string name)
    {
        if (!_root.TryGetProperty(name, out var value)) throw Error($"field \"{name}\" is missing");
        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList()
            : throw Error($"field \"{name}\" should be an array, got {Describe(value)}");
    }

    private static bool TryNumber(JsonElement value, out double number)
    {
        number = 0;
        if (value.ValueKind == JsonValueKind.Number) return value.TryGetDouble(out number);
        if (value.ValueKind != JsonValueKind.String) return false;
        switch (value.GetString())
        {
            case "NaN": number = double.NaN; return true;
            case "Infinity": number = double.PositiveInfinity; return true;
            case "-Infinity": number = double.NegativeInfinity; return true;
            default: return false;
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };
}
