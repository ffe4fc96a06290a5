using System.Text;
using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>Creates WGSL shader modules and turns Dawn's compilation messages into a readable error.</summary>
internal static unsafe class ShaderModules
{
    /// <summary>A module labelled with the kernel's name (Dawn quotes labels in its own error messages).</summary>
    public static nint Create(nint device, KernelInfo kernel)
    {
        var code = Encoding.UTF8.GetBytes(kernel.Wgsl);
        var label = Encoding.UTF8.GetBytes(kernel.Name);
        fixed (byte* codePtr = code)
        fixed (byte* labelPtr = label)
        {
            var source = new ShaderSourceWgsl
            {
                Chain = { SType = SType.ShaderSourceWgsl },
                Code = StringView.Of(codePtr, code.Length),
            };
            var descriptor = new ShaderModuleDescriptor
            {
                NextInChain = &source.Chain,
                Label = StringView.Of(labelPtr, label.Length),
            };
            return WebGpuNative.DeviceCreateShaderModule(device, &descriptor);
        }
    }

    /// <summary>Dawn's messages about <paramref name="module"/>: errors, warnings and notes with line and column.</summary>
    public static List<ShaderMessage> CompilationMessages(nint module, FutureWaiter waiter, KernelInfo kernel)
    {
        using var request = new NativeRequest();
        var future = WebGpuNative.ShaderModuleGetCompilationInfo(module, request.CallbackInfo(NativeCallbacks.CompilationInfo));
        waiter.Wait(future, request, $"{kernel.Name}: compiling its WGSL");
        return request.ShaderMessages;
    }

    /// <summary>
    /// "Kernel: its WGSL does not compile" with every error as <c>line:column: message</c>, the source line and a
    /// caret under the column.
    /// </summary>
    public static string DescribeErrors(KernelInfo kernel, IEnumerable<ShaderMessage> errors)
    {
        var lines = kernel.Wgsl.Split('\n');
        var text = new StringBuilder($"{kernel.Name}: its WGSL does not compile (this is a bug in the generator or in hand-written WGSL):");
        foreach (var error in errors)
        {
            text.Append('\n').Append("  ").Append(error.Line).Append(':').Append(error.Column).Append(": error: ").Append(error.Text);
            // Generated kernels know which C# line each WGSL line came from.
            if (kernel.SourceOf((int)error.Line) is { } origin) text.Append(" (generated from ").Append(origin).Append(')');
            if (error.Line >= 1 && error.Line <= (ulong)lines.Length)
            {
                var source = lines[error.Line - 1].TrimEnd('\r');
                text.Append("\n    ").Append(source);
                if (error.Column >= 1 && error.Column <= (ulong)source.Length + 1)
                    text.Append("\n    ").Append(' ', (int)error.Column - 1).Append('^');
            }
        }
        return text.ToString();
    }
}
