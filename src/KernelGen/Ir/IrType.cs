namespace KernelGen.Ir
{
    internal enum ScalarKind
    {
        F32,
        I32,
        U32,
        Bool,

        /// <summary>No value: the result type of a helper function declared void.</summary>
        Void,

        /// <summary>A user struct: see <see cref="IrType.Struct"/>.</summary>
        Struct,
    }

    /// <summary>A field of a user struct, at its WGSL (and, checked, C#) byte offset.</summary>
    internal sealed record IrStructField(string Name, string CSharpName, IrType Type, int Offset);

    /// <summary>A user struct as WGSL declares it; its C# layout was checked to be the same.</summary>
    internal sealed record IrStruct(string Name, string CSharpName, Model.EquatableArray<IrStructField> Fields, int Size, int Alignment);

    /// <summary>A WGSL value type: a scalar (<see cref="Lanes"/> = 1) or a vector of 2 to 4 lanes.</summary>
    internal sealed record IrType(ScalarKind Scalar, int Lanes = 1, IrStruct? Struct = null)
    {
        public static IrType Of(IrStruct definition) => new IrType(ScalarKind.Struct, 1, definition);

        public static readonly IrType F32 = new IrType(ScalarKind.F32);
        public static readonly IrType I32 = new IrType(ScalarKind.I32);
        public static readonly IrType U32 = new IrType(ScalarKind.U32);
        public static readonly IrType Bool = new IrType(ScalarKind.Bool);
        public static readonly IrType Vec3U32 = new IrType(ScalarKind.U32, 3);
        public static readonly IrType Void = new IrType(ScalarKind.Void);

        public bool IsVector => Lanes > 1;

        public bool IsInteger => Scalar == ScalarKind.I32 || Scalar == ScalarKind.U32;

        /// <summary>The WGSL spelling: <c>f32</c>, <c>vec3&lt;u32&gt;</c>.</summary>
        public string Wgsl => Struct is not null ? Struct.Name : Lanes == 1 ? ScalarWgsl : "vec" + Lanes + "<" + ScalarWgsl + ">";

        public string ScalarWgsl => Scalar switch
        {
            ScalarKind.F32 => "f32",
            ScalarKind.I32 => "i32",
            ScalarKind.U32 => "u32",
            ScalarKind.Void => "void",
            ScalarKind.Struct => Struct?.Name ?? "struct",
            _ => "bool",
        };

        /// <summary>Bytes and alignment in WGSL's host-shareable layout (scalars 4, vec2 8, vec3 12 aligned 16, vec4 16).</summary>
        public int Size => Struct?.Size ?? 4 * Lanes;

        public int Alignment => Struct?.Alignment ?? (Lanes == 1 ? 4 : Lanes == 2 ? 8 : 16);

        /// <summary>The distance between array elements: the size rounded up to the alignment.</summary>
        public int Stride => (Size + Alignment - 1) / Alignment * Alignment;

        /// <summary>The C# spelling, for stubs.</summary>
        public string CSharp => Struct is not null ? Struct.CSharpName : Lanes == 1 ? ScalarCSharp
            : Scalar == ScalarKind.F32 ? "global::System.Numerics.Vector" + Lanes
            : "global::KernelGen." + (Scalar == ScalarKind.U32 ? "UInt" : "Int") + Lanes;

        private string ScalarCSharp => Scalar switch
        {
            ScalarKind.F32 => "float",
            ScalarKind.I32 => "int",
            ScalarKind.U32 => "uint",
            _ => "bool",
        };
    }
}
