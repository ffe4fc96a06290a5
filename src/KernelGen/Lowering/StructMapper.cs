using System.Collections.Generic;
using System.Linq;
using KernelGen.Ir;
using KernelGen.Model;
using Microsoft.CodeAnalysis;

namespace KernelGen.Lowering
{
    /// <summary>
    /// User structs of float/int/uint/vector fields (and of such structs) as WGSL structs. WGSL lays a struct out by
    /// its own rules (vec2 aligned to 8, vec3/vec4 to 16, the struct's size rounded to its largest alignment); C#
    /// packs sequential fields by 4. Element i of a buffer must sit at the same byte on both sides, so a struct whose
    /// C# layout differs is refused with the fix (which padding field to add) rather than silently misread.
    /// </summary>
    internal static class StructMapper
    {
        public static IrType? Map(ITypeSymbol type) => Analyze(type, out _) is { } definition ? IrType.Of(definition) : null;

        /// <summary>Why the struct cannot be a kernel type, or null when it can (or is not a user struct at all).</summary>
        public static string? Problem(ITypeSymbol type)
        {
            Analyze(type, out var problem);
            return problem;
        }

        public static bool IsUserStruct(ITypeSymbol? type) =>
            type is INamedTypeSymbol { TypeKind: TypeKind.Struct, SpecialType: SpecialType.None, IsGenericType: false } named &&
            !TypeMapper.IsVectorType(named) && named.ContainingNamespace?.ToDisplayString() is not ("System" or "System.Numerics" or TypeMapper.RuntimeNamespace);

        private static IrStruct? Analyze(ITypeSymbol type, out string? problem)
        {
            problem = null;
            if (!IsUserStruct(type)) return null;
            var named = (INamedTypeSymbol)type;
            var layout = named.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "StructLayoutAttribute");
            if (layout is not null && (layout.ConstructorArguments.FirstOrDefault().Value is int kind && kind != 0 || layout.NamedArguments.Any(n => n.Key == "Pack" || n.Key == "Size")))
            {
                problem = "it has an explicit StructLayout (Pack, Size or Explicit); kernel structs use the default sequential layout";
                return null;
            }
            var fields = new List<IrStructField>();
            int wgslOffset = 0, csharpOffset = 0, alignment = 4, csharpAlignment = 4;
            foreach (var field in named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
            {
                if (field.IsImplicitlyDeclared)
                {
                    problem = "it has an auto-property; use plain fields";
                    return null;
                }
                var fieldType = TypeMapper.Map(field.Type);
                if (fieldType is null || fieldType.Scalar == ScalarKind.Bool)
                {
                    problem = "field '" + field.Name + "' has type '" + field.Type.ToDisplayString() + "'; struct fields are float, int, uint, Vector2/3/4 or such structs";
                    return null;
                }
                int offset = Align(wgslOffset, fieldType.Alignment);
                int csharpFieldAlignment = CSharpAlignment(fieldType);
                int csharpFieldOffset = Align(csharpOffset, csharpFieldAlignment);
                if (offset != csharpFieldOffset)
                {
                    problem = "field '" + field.Name + "' is at byte " + csharpFieldOffset + " in C# but " + offset + " in WGSL (" + fieldType.Wgsl +
                              " aligns to " + fieldType.Alignment + "); add " + (offset - csharpFieldOffset) / 4 + " float padding field(s) before it";
                    return null;
                }
                fields.Add(new IrStructField(WgslNames.Member(field.Name), field.Name, fieldType, offset));
                wgslOffset = offset + fieldType.Size;
                csharpOffset = csharpFieldOffset + CSharpSize(fieldType);
                alignment = System.Math.Max(alignment, fieldType.Alignment);
                csharpAlignment = System.Math.Max(csharpAlignment, csharpFieldAlignment);
            }
            if (fields.Count == 0)
            {
                problem = "it has no fields";
                return null;
            }
            int size = Align(wgslOffset, alignment);
            int csharpSize = Align(csharpOffset, csharpAlignment);
            if (size != csharpSize)
            {
                problem = "it is " + csharpSize + " bytes in C# but " + size + " in WGSL (rounded to its " + alignment + "-byte alignment); add " +
                          (size - csharpSize) / 4 + " float padding field(s) at the end";
                return null;
            }
            var name = WgslNames.Member(named.Name);
            return new IrStruct(name, named.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), fields.ToEquatableArray(), size, alignment);
        }

        /// <summary>
        /// Why a struct cannot sit in a uniform block, or null when it can. WGSL's uniform address space wants every
        /// field of struct type at a multiple of 16 bytes, and the field after it at least its size rounded up to 16
        /// later; the storage layout (which C# shares) does not, so a nested struct must be placed accordingly.
        /// </summary>
        public static string? UniformProblem(IrStruct definition)
        {
            for (int i = 0; i < definition.Fields.Count; i++)
            {
                var field = definition.Fields[i];
                if (field.Type.Struct is not { } nested) continue;
                if (field.Offset % 16 != 0)
                    return "field '" + field.CSharpName + "' of '" + definition.CSharpName + "' is a struct at byte " + field.Offset +
                           "; in a uniform a struct field must start at a multiple of 16 bytes: move it first or add float padding before it";
                int end = field.Offset + Align(nested.Size, 16);
                if (i + 1 < definition.Fields.Count && definition.Fields[i + 1].Offset < end)
                    return "field '" + definition.Fields[i + 1].CSharpName + "' of '" + definition.CSharpName + "' is at byte " + definition.Fields[i + 1].Offset +
                           "; in a uniform the field after struct '" + field.CSharpName + "' must start at byte " + end +
                           " or later: pad '" + nested.CSharpName + "' to a multiple of 16 bytes";
                if (UniformProblem(nested) is { } inner) return inner;
            }
            return null;
        }

        // C# sequential layout: float/int/uint and System.Numerics vectors align to 4; a struct to its largest field.
        private static int CSharpAlignment(IrType type) => type.Struct is null ? 4 : type.Struct.Fields.Max(f => CSharpAlignment(f.Type));

        private static int CSharpSize(IrType type) => type.Struct?.Size ?? 4 * type.Lanes;

        private static int Align(int offset, int alignment) => (offset + alignment - 1) / alignment * alignment;
    }
}
