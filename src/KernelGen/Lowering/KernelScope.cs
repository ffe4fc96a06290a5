using System.Collections.Generic;
using KernelGen.Ir;
using KernelGen.Model;
using Microsoft.CodeAnalysis;

namespace KernelGen.Lowering
{
    /// <summary>The names, parameters and helper functions visible while lowering one kernel.</summary>
    internal sealed class KernelScope
    {
        public KernelScope(Compilation compilation, INamedTypeSymbol kernelType)
        {
            Compilation = compilation;
            KernelType = kernelType;
            // The entry point's builtin inputs are module-level names the kernel's locals must not shadow.
            foreach (BuiltinKind kind in System.Enum.GetValues(typeof(BuiltinKind))) Names.Claim(Builtins.Wgsl(kind).Name);
            // Every method of the class that could be called as a helper gets its name now, before any local is
            // named: a local must not shadow a helper that a later statement calls.
            foreach (var member in kernelType.GetMembers())
                if (member is IMethodSymbol { IsStatic: true, MethodKind: MethodKind.Ordinary } helper)
                    HelperNames[helper] = Names.Claim(helper.Name);
        }

        public Compilation Compilation { get; }

        /// <summary>The class declaring the kernel; its other static methods can be called as helpers.</summary>
        public INamedTypeSymbol KernelType { get; }

        public WgslNames Names { get; } = new WgslNames();

        /// <summary>Kernel parameters by their C# name.</summary>
        public Dictionary<string, KernelParameter> Parameters { get; } = new Dictionary<string, KernelParameter>();

        /// <summary>Helper functions reached from the kernel, in the order they were first called.</summary>
        public List<IrFunction> Functions { get; } = new List<IrFunction>();

        /// <summary>WGSL names of helpers already lowered (or being lowered: a call back into one is recursion).</summary>
        public Dictionary<IMethodSymbol, string> FunctionNames { get; } = new Dictionary<IMethodSymbol, string>(SymbolEqualityComparer.Default);

        /// <summary>The WGSL names reserved for the class's static methods, used if they are called as helpers.</summary>
        public Dictionary<IMethodSymbol, string> HelperNames { get; } = new Dictionary<IMethodSymbol, string>(SymbolEqualityComparer.Default);

        /// <summary>Set when a helper's body has C# errors: the compiler reports them, and nothing is generated.</summary>
        public bool HelperHasCompilerErrors { get; set; }

        /// <summary>[Specialize] parameters and their value in the variant being lowered.</summary>
        public Dictionary<string, int> Specialization { get; } = new Dictionary<string, int>();

        /// <summary>Buffer parameters (C# names) used with KernelGen.Atomic: declared array&lt;atomic&lt;T&gt;&gt;.</summary>
        public HashSet<string> AtomicBuffers { get; } = new HashSet<string>();

        public List<IrWorkgroupArray> WorkgroupArrays { get; } = new List<IrWorkgroupArray>();

        /// <summary>Set when the kernel or a helper calls a barrier.</summary>
        public bool UsesBarriers { get; set; }

        /// <summary>The bodies of the helpers lowered for this kernel: what the kernel's cache entry depends on.</summary>
        public List<Microsoft.CodeAnalysis.IOperation> HelperBodies { get; } = new List<Microsoft.CodeAnalysis.IOperation>();

        public HashSet<IMethodSymbol> InProgress { get; } = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
    }
}
