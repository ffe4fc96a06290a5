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
            return null;
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

        /// <summary>Element types a storage buffer may hold.</summary>
        public static IrType? MapBufferElement(ITypeSymbol? type)
        {
            var mapped = Map(type);
            return mapped is null || mapped.Scalar == ScalarKind.Bool || mapped.IsVector ? null : mapped;
        }

        public static bool IsRuntimeType(ITypeSymbol type, string name) =>
            type.Name == name && type.ContainingNamespace is { Name: RuntimeNamespace } ns && ns.ContainingNamespace.IsGlobalNamespace;

        public static bool Is64Bit(ITypeSymbol? type) =>
            type?.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64;
    }
}
