using KernelGen.Ir;
using Microsoft.CodeAnalysis;

namespace KernelGen.Lowering
{
    /// <summary>Maps C# types to the WGSL types the kernel language supports.</summary>
    internal static class TypeMapper
    {
        public const string RuntimeNamespace = "KernelGen";

        /// <summary>The WGSL type of a C# value type, or null when kernels cannot use it.</summary>
        public static IrType? Map(ITypeSymbol? type)
        {
            if (type is null) return null;
            switch (type.SpecialType)
            {
                case SpecialType.System_Single: return IrType.F32;
                case SpecialType.System_Int32: return IrType.I32;
                case SpecialType.System_UInt32: return IrType.U32;
                case SpecialType.System_Boolean: return IrType.Bool;
            }
            if (IsRuntimeType(type, "UInt3")) return IrType.Vec3U32;
            if (IsNumericsVector(type, out int lanes)) return new IrType(ScalarKind.F32, lanes);
            return StructMapper.Map(type);
        }

        /// <summary>True for <c>ReadOnlyBuffer&lt;T&gt;</c> / <c>ReadWriteBuffer&lt;T&gt;</c>; gives access and element type.</summary>
        public static bool IsBuffer(ITypeSymbol? type, out bool writable, out ITypeSymbol? element)
        {
            writable = false;
            element = null;
            if (type is INamedTypeSymbol named && named.IsGenericType && named.TypeArguments.Length == 1)
            {
                if (IsRuntimeType(named, "ReadOnlyBuffer")) { element = named.TypeArguments[0]; return true; }
                if (IsRuntimeType(named, "ReadWriteBuffer")) { element = named.TypeArguments[0]; writable = true; return true; }
            }
            return false;
        }

        /// <summary>
        /// Element types a storage buffer may hold: 32-bit scalars, Vector2 and Vector4. Not Vector3: C# packs it in
        /// 12 bytes and WGSL strides vec3 arrays by 16, so element i would land in different places.
        /// </summary>
        public static IrType? MapBufferElement(ITypeSymbol? type)
        {
            var mapped = Map(type);
            return mapped is null || mapped.Scalar == ScalarKind.Bool || mapped.Lanes == 3 || (mapped.IsVector && mapped.Scalar != ScalarKind.F32) ? null : mapped;
        }

        /// <summary>System.Numerics.Vector2/3/4: vec2/3/4&lt;f32&gt;.</summary>
        public static bool IsNumericsVector(ITypeSymbol? type, out int lanes)
        {
            lanes = type?.Name switch { "Vector2" => 2, "Vector3" => 3, "Vector4" => 4, _ => 0 };
            return lanes > 0 && type!.ContainingNamespace?.ToDisplayString() == "System.Numerics";
        }

        public static bool IsRuntimeType(ITypeSymbol type, string name) =>
            type.Name == name && type.ContainingNamespace is { Name: RuntimeNamespace } ns && ns.ContainingNamespace.IsGlobalNamespace;

        public static bool Is64Bit(ITypeSymbol? type) =>
            type?.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64;
    }
}
