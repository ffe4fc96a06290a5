using System.Collections.Generic;
using KernelGen.Ir;
using KernelGen.Model;

namespace KernelGen.Lowering
{
    /// <summary>The names and parameters visible while lowering one kernel.</summary>
    internal sealed class KernelScope
    {
        public WgslNames Names { get; } = new WgslNames();

        /// <summary>Kernel parameters by their C# name.</summary>
        public Dictionary<string, KernelParameter> Parameters { get; } = new Dictionary<string, KernelParameter>();

        public KernelScope()
        {
            // The entry point's builtin inputs are module-level names the kernel's locals must not shadow.
            foreach (BuiltinKind kind in System.Enum.GetValues(typeof(BuiltinKind))) Names.Claim(Builtins.Wgsl(kind).Name);
        }
    }
}
