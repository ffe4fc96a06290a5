using System.Collections.Generic;
using System.Linq;
using KernelGen.Ir;
using KernelGen.Lowering;
using KernelGen.Model;

namespace KernelGen.Emit
{
    /// <summary>
    /// <c>Atomic.CompareExchange</c> has C#'s strong meaning (it fails only when the element differs from the
    /// comparand), but WGSL only has <c>atomicCompareExchangeWeak</c>, which may also fail spuriously. Each buffer used
    /// with it gets one function in the module that retries the weak exchange exactly while it failed although the
    /// element still held the comparand, so the call returns the element's previous value and stores only when equal.
    /// WGSL functions cannot take pointers into storage (without a language extension), so the function indexes its
    /// buffer itself and the call site passes the index.
    /// </summary>
    internal static class WgslCompareExchange
    {
        public static string FunctionName(string buffer) => "kg_compare_exchange_" + buffer;

        /// <summary>The call <c>kg_compare_exchange_buffer(index, comparand, value)</c>, or null for another call.</summary>
        public static IrBufferElement? Target(IrCall call) =>
            call.Function == BodyLowerer.CompareExchangeFunction && call.Arguments.Count == 3 &&
            call.Arguments[0] is IrAddressOf { Target: IrBufferElement element } ? element : null;

        /// <summary>Buffers the kernel compare-exchanges on, in order of first use.</summary>
        public static IReadOnlyList<KernelParameter> Buffers(KernelModel kernel)
        {
            var used = IrWalker.Expressions(kernel.Body).OfType<IrCall>().Select(Target).Where(t => t is not null)
                .Select(t => t!.Buffer).Distinct().ToList();
            return used.Select(name => kernel.Parameters.First(p => p.WgslName == name)).ToList();
        }

        public static void Write(CodeWriter writer, KernelParameter buffer)
        {
            var type = buffer.Type.Wgsl;
            writer.Open("fn " + FunctionName(buffer.WgslName) + "(index: u32, comparand: " + type + ", value: " + type + ") -> " + type);
            writer.Open("loop");
            writer.Line("let result = atomicCompareExchangeWeak(&" + buffer.WgslName + "[index], comparand, value);");
            writer.Line("// A weak exchange may fail while the element holds the comparand: only then try again.");
            writer.Open("if (result.exchanged || result.old_value != comparand)");
            writer.Line("return result.old_value;");
            writer.Close();
            writer.Close();
            writer.Close();
        }
    }
}
