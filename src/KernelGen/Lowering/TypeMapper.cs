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
            if (IsNumericsVector(type, out int lanes)) return new IrType(ScalarKind.F32, lanes);
            if (IsIntegerVector(type, out var scalar, out lanes)) return new IrType(scalar, lanes);
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
        /// Element types a storage buffer may hold: 32-bit scalars, 2- and 4-lane vectors, structs. Not 3-lane vectors:
        /// C# packs them in 12 bytes and WGSL strides vec3 arrays by 16, so element i would land in different places.
        /// </summary>
        public static IrType? MapBufferElement(ITypeSymbol? type)
        {
            var mapped = Map(type);
            return mapped is null || mapped.Scalar == ScalarKind.Bool || mapped.Lanes == 3 ? null : mapped;
        }

        /// <summary>KernelGen's Int2/3/4 and UInt2/3/4: vec2/3/4&lt;i32|u32&gt;.</summary>
        public static bool IsIntegerVector(ITypeSymbol? type, out ScalarKind scalar, out int lanes)
        {
            scalar = ScalarKind.I32;
            lanes = 0;
            if (type is null || type.ContainingNamespace is not { Name: RuntimeNamespace } ns || !ns.ContainingNamespace.IsGlobalNamespace) return false;
            var name = type.Name;
            if (name.StartsWith("UInt", System.StringComparison.Ordinal)) { scalar = ScalarKind.U32; name = name.Substring(4); }
            else if (name.StartsWith("Int", System.StringComparison.Ordinal)) name = name.Substring(3);
            else return false;
            lanes = name switch { "2" => 2, "3" => 3, "4" => 4, _ => 0 };
            return lanes > 0;
        }

        /// <summary>Any vector type of the kernel language: System.Numerics vectors and KernelGen's integer vectors.</summary>
        public static bool IsVectorType(ITypeSymbol? type) => IsNumericsVector(type, out _) || IsIntegerVector(type, out _, out _);

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
