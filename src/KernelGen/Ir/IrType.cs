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
    }

    /// <summary>A WGSL value type: a scalar (<see cref="Lanes"/> = 1) or a vector of 2 to 4 lanes.</summary>
    internal sealed record IrType(ScalarKind Scalar, int Lanes = 1)
    {
        public static readonly IrType F32 = new IrType(ScalarKind.F32);
        public static readonly IrType I32 = new IrType(ScalarKind.I32);
        public static readonly IrType U32 = new IrType(ScalarKind.U32);
        public static readonly IrType Bool = new IrType(ScalarKind.Bool);
        public static readonly IrType Vec3U32 = new IrType(ScalarKind.U32, 3);
        public static readonly IrType Void = new IrType(ScalarKind.Void);

        public bool IsVector => Lanes > 1;

        public bool IsInteger => Scalar == ScalarKind.I32 || Scalar == ScalarKind.U32;

        /// <summary>The WGSL spelling: <c>f32</c>, <c>vec3&lt;u32&gt;</c>.</summary>
        public string Wgsl => Lanes == 1 ? ScalarWgsl : "vec" + Lanes + "<" + ScalarWgsl + ">";

        public string ScalarWgsl => Scalar switch
        {
            ScalarKind.F32 => "f32",
            ScalarKind.I32 => "i32",
            ScalarKind.U32 => "u32",
            ScalarKind.Void => "void",
            _ => "bool",
        };

        /// <summary>The C# spelling, for stubs.</summary>
        public string CSharp => Lanes == 1 ? ScalarCSharp
            : Scalar == ScalarKind.F32 ? "global::System.Numerics.Vector" + Lanes
            : "global::KernelGen.UInt3";

        private string ScalarCSharp => Scalar switch
        {
            ScalarKind.F32 => "float",
            ScalarKind.I32 => "int",
            ScalarKind.U32 => "uint",
            _ => "bool",
        };
    }
}
