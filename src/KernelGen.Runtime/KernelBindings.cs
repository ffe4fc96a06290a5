using System.Text.RegularExpressions;

namespace KernelGen;

/// <summary>
/// What a kernel's WGSL says about each storage binding: the element type of its <c>array&lt;T&gt;</c> and that
/// element's stride in bytes, and for a fixed-size <c>array&lt;T, N&gt;</c> the bytes it needs. Read once per
/// <see cref="KernelInfo"/> from the WGSL text (and cached on it), so a launch with a buffer whose C# element size differs from the
/// WGSL stride (e.g. <c>Vector3</c>, 12 bytes, against <c>vec3&lt;f32&gt;</c>, 16) is refused before anything runs.
/// Element types it does not know (structs) are not checked.
/// </summary>
internal sealed partial class KernelBindings
{
    private readonly Binding?[] bindings;
    private readonly int[] strides;    // 0: not checked
    private readonly long[] minBytes;

    private KernelBindings(Binding?[] bindings)
    {
        this.bindings = bindings;
        strides = bindings.Select(b => b?.Stride ?? 0).ToArray();
        minBytes = bindings.Select(b => b?.MinBytes ?? 0).ToArray();
    }

    /// <summary>The element type as written in the WGSL, its stride, and the minimum bytes (stride, or N x stride).</summary>
    internal readonly record struct Binding(string ElementType, int Stride, long MinBytes, bool FixedLength);

    public static KernelBindings For(KernelInfo kernel) =>
        kernel.BindingsCache ??= Parse(kernel.Wgsl, kernel.Buffers.Count); // a race parses twice, to equal results

    /// <summary>The binding's WGSL element, or null when the WGSL declares something this parser does not size.</summary>
    public Binding? this[int binding] => binding < bindings.Length ? bindings[binding] : null;

    /// <summary>Throws <see cref="KernelLaunchException"/> when a buffer cannot be what its binding declares.</summary>
    public void Check(KernelInfo kernel, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<string> names)
    {
        int count = Math.Min(buffers.Length, strides.Length);
        for (int i = 0; i < count; i++)
        {
            int stride = strides[i];
            if (stride == 0 || buffers[i].Buffer is not { } buffer) continue;
            var view = buffers[i];
            if (buffer.ElementSize == stride && view.ByteSize >= minBytes[i]) continue;
            var binding = bindings[i]!.Value;
            string name = i < names.Length ? $"'{names[i]}'" : i < kernel.BufferNames.Count ? $"'{kernel.BufferNames[i]}'" : $"{i}";
            if (buffer.ElementSize != binding.Stride)
                throw new KernelLaunchException(
                    $"{kernel.Name}: buffer {name} is {buffer} with {buffer.ElementSize}-byte elements, but binding {i} is " +
                    $"array<{binding.ElementType}> in the WGSL, whose elements are {binding.Stride} bytes apart. " +
                    "Use a buffer of a C# type with the same size and layout" +
                    (binding.ElementType.StartsWith("vec3", StringComparison.Ordinal) ? " (vec3 is padded to 16 bytes: use Vector4 or a float buffer)." : "."));
            if (view.ByteSize < binding.MinBytes)
                throw new KernelLaunchException(
                    $"{kernel.Name}: buffer {name} is {view} ({view.ByteSize} bytes), but binding {i} is a fixed-size " +
                    $"array of {binding.MinBytes / binding.Stride} {binding.ElementType} ({binding.MinBytes} bytes) in the WGSL.");
        }
    }

    // `@group(0) @binding(3) var<storage, read> name: array<vec4<f32>, 16>;` with the attributes in either order.
    [GeneratedRegex(@"@(?:group\(\s*0\s*\)\s*@binding\(\s*(?<b>\d+)\s*\)|binding\(\s*(?<b>\d+)\s*\)\s*@group\(\s*0\s*\))\s*var\s*<\s*storage[^>]*>\s*\w+\s*:\s*array\s*<(?<t>.+?)>\s*;", RegexOptions.Singleline)]
    private static partial Regex StorageBinding();

    private static KernelBindings Parse(string wgsl, int count)
    {
        var result = new Binding?[count];
        foreach (Match match in StorageBinding().Matches(wgsl))
        {
            if (!int.TryParse(match.Groups["b"].Value, out int index) || index < 0 || index >= count) continue;
            var inner = match.Groups["t"].Value.Trim();
            // Split "T, N" at the last top-level comma (T itself may be vec4<f32>).
            long length = 0;
            int comma = inner.LastIndexOf(',');
            if (comma > 0 && inner.IndexOf('>', comma) < 0)
            {
                if (!long.TryParse(inner[(comma + 1)..].Trim().TrimEnd('u', 'i'), out length)) continue;
                inner = inner[..comma].Trim();
            }
            if (StrideOf(inner) is not { } stride) continue;
            result[index] = new Binding(inner, stride, length > 0 ? length * stride : stride, length > 0);
        }
        return new KernelBindings(result);
    }

    /// <summary>WGSL's array stride of a scalar, vector, matrix or atomic element; null for anything else.</summary>
    internal static int? StrideOf(string type)
    {
        type = type.Replace(" ", "", StringComparison.Ordinal);
        switch (type)
        {
            case "f32" or "i32" or "u32" or "atomic<i32>" or "atomic<u32>": return 4;
            case "f16": return 2;
        }
        // vec2<f32>, vec3f, vec4h ...
        var vector = Regex.Match(type, @"^vec([234])(?:<(f32|i32|u32|f16)>|([fiuh]))$");
        if (vector.Success)
        {
            int n = vector.Groups[1].Value[0] - '0';
            bool half = vector.Groups[2].Value == "f16" || vector.Groups[3].Value == "h";
            return VectorStride(n, half ? 2 : 4);
        }
        // mat4x4<f32>, mat3x3f: C columns of vecR.
        var matrix = Regex.Match(type, @"^mat([234])x([234])(?:<(f32|f16)>|([fh]))$");
        if (matrix.Success)
        {
            int columns = matrix.Groups[1].Value[0] - '0', rows = matrix.Groups[2].Value[0] - '0';
            bool half = matrix.Groups[3].Value == "f16" || matrix.Groups[4].Value == "h";
            return columns * VectorStride(rows, half ? 2 : 4);
        }
        return null;
    }

    /// <summary>vec2 is 2 x scalar, vec3 and vec4 are 4 x scalar (vec3 is padded to its alignment).</summary>
    private static int VectorStride(int n, int scalar) => n == 2 ? 2 * scalar : 4 * scalar;
}
