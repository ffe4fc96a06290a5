using System.Text.RegularExpressions;

namespace KernelGen.Generator.Tests.Robustness;

/// <summary>
/// Compiles a generated WGSL module in Dawn through the public runtime API: a dispatch of zero invocations builds the
/// pipeline (so Dawn parses and validates the shader against its bindings) and runs nothing, so even a mutant with an
/// endless loop is safe. The bindings are read from the WGSL's own declarations, which is what Dawn checks them against.
/// </summary>
internal static partial class DawnShaderCheck
{
    /// <summary>Dawn's error for <paramref name="shader"/>, or null when it compiled.</summary>
    public static string? Compile(ComputeDevice device, GeneratedShader shader)
    {
        var info = InfoFor(shader);
        var buffers = ElementTypes(shader.Wgsl).Select(type => BufferFor(device, type)).ToArray();
        try
        {
            device.Dispatch(info, new Grid(0), buffers, new byte[info.UniformSize]);
            device.Synchronize();
            return null;
        }
        catch (KernelGenException e)
        {
            return e.Message;
        }
        finally
        {
            foreach (var buffer in buffers) buffer.Dispose();
        }
    }

    /// <summary>The runtime checks a buffer's element size against the binding's array stride, so match it.</summary>
    private static GpuBuffer BufferFor(ComputeDevice device, string wgslElement) => wgslElement switch
    {
        "vec2<f32>" => device.CreateBuffer<System.Numerics.Vector2>(4),
        "vec4<f32>" => device.CreateBuffer<System.Numerics.Vector4>(4),
        _ => device.CreateBuffer<uint>(4), // f32, i32, u32 and their atomics: 4 bytes
    };

    private static IEnumerable<string> ElementTypes(string wgsl) =>
        StorageBinding().Matches(wgsl).Select(m => m.Groups["element"].Value);

    private static KernelInfo InfoFor(GeneratedShader shader)
    {
        var wgsl = shader.Wgsl;
        var size = WorkgroupSize().Match(wgsl);
        var accesses = StorageBinding().Matches(wgsl)
            .Select(m => m.Groups["access"].Value == "read_write" ? BufferAccess.ReadWrite : BufferAccess.ReadOnly)
            .ToArray();
        // Every uniform field is at most 16 bytes; a larger binding than the struct needs is valid.
        var uniform = UniformBinding().Match(wgsl);
        int uniformSize = 0;
        if (uniform.Success)
        {
            var fields = Regex.Match(wgsl, @"struct\s+" + Regex.Escape(uniform.Groups["type"].Value) + @"\s*\{(?<body>[^}]*)\}");
            uniformSize = 16 * Math.Max(1, fields.Groups["body"].Value.Count(c => c == ':'));
        }
        return new KernelInfo("Robustness: " + shader, wgsl,
            uint.Parse(size.Groups[1].Value), uint.Parse(size.Groups[2].Value), uint.Parse(size.Groups[3].Value),
            accesses, uniformSize);
    }

    [GeneratedRegex(@"@workgroup_size\((\d+),\s*(\d+),\s*(\d+)\)")]
    private static partial Regex WorkgroupSize();

    [GeneratedRegex(@"@binding\(\d+\)\s+var<storage,\s*(?<access>read_write|read)>\s*\w+\s*:\s*array<(?<element>.+)>;")]
    private static partial Regex StorageBinding();

    [GeneratedRegex(@"@binding\(\d+\)\s+var<uniform>\s+\w+\s*:\s*(?<type>\w+)")]
    private static partial Regex UniformBinding();
}
