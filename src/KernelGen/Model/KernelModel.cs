using System.Linq;
using KernelGen.Ir;

namespace KernelGen.Model
{
    internal enum ParameterKind
    {
        ReadOnlyBuffer,
        ReadWriteBuffer,
        Scalar,

        /// <summary>An int or uint marked [Specialize(...)]: a constant of each WGSL variant, not a uniform.</summary>
        Specialized,
    }

    /// <summary>The value a [Specialize] parameter has in one variant.</summary>
    internal sealed record SpecializationValue(string Parameter, int Value);

    /// <summary>A kernel parameter: a storage buffer of <see cref="Type"/> elements, or a scalar in the uniform block.</summary>
    internal sealed record KernelParameter(string CSharpName, string WgslName, ParameterKind Kind, IrType Type, bool Atomic = false)
    {
        public bool IsBuffer => Kind is ParameterKind.ReadOnlyBuffer or ParameterKind.ReadWriteBuffer;
    }

    /// <summary>A class around the kernel, outermost first, as the stub must re-declare it.</summary>
    internal sealed record ContainingType(string Name, bool IsStatic);

    /// <summary>
    /// Everything the emitters need about one kernel, as plain comparable data: the incremental pipeline caches it,
    /// so an edit elsewhere in the project does not re-run the emitters.
    /// </summary>
    internal sealed record KernelModel(
        string Namespace,
        EquatableArray<ContainingType> Containers,
        string MethodName,
        string Accessibility,
        int WorkgroupX,
        int WorkgroupY,
        int WorkgroupZ,
        EquatableArray<KernelParameter> Parameters,
        IrBlock Body,
        EquatableArray<IrFunction> Functions,
        EquatableArray<IrWorkgroupArray> WorkgroupArrays,
        bool UsesBarriers,
        string UniformStructName,
        string UniformVariableName,
        string SourceFile,
        EquatableArray<SpecializationValue> Specialization)
    {
        /// <summary>"" for a kernel without [Specialize]; else e.g. "_tile4" (a negative value reads "m4").</summary>
        public string VariantSuffix => string.Concat(Specialization.Select(s => "_" + s.Parameter + (s.Value < 0 ? "m" + (-(long)s.Value) : s.Value.ToString())));

        /// <summary><c>Class.Method</c>, as error messages name the kernel.</summary>
        public string DisplayName => Containers.Count == 0 ? MethodName : Containers[Containers.Count - 1].Name + "." + MethodName;

        public string StubClassName => MethodName + "Kernel";

        /// <summary>
        /// A file-name-safe unique prefix for the generated files: the kernel's qualified name plus a short hash of it,
        /// because hint names must be unique ignoring case and kernels K and k may both exist.
        /// </summary>
        public string HintPrefix
        {
            get
            {
                var parts = new System.Collections.Generic.List<string>();
                if (Namespace.Length > 0) parts.Add(Namespace);
                foreach (var c in Containers) parts.Add(c.Name);
                parts.Add(MethodName);
                var name = string.Join(".", parts).Replace("@", "");
                uint hash = 2166136261; // FNV-1a: stable across runs and platforms, unlike string.GetHashCode
                foreach (char ch in name) hash = (hash ^ ch) * 16777619;
                return name + "." + (hash & 0xffffff).ToString("x6");
            }
        }
    }

    /// <summary>The result of looking at one [ComputeKernel] method: a model when it translates, and its diagnostics.</summary>
    /// <remarks>A kernel with [Specialize] parameters has one model per combination of their values.</remarks>
    internal sealed record KernelResult(EquatableArray<KernelModel> Variants, EquatableArray<DiagnosticInfo> Diagnostics)
    {
        /// <summary>The first (for most kernels the only) variant, or null when nothing is generated.</summary>
        public KernelModel? Model => Variants.Count > 0 ? Variants[0] : null;
    }
}
