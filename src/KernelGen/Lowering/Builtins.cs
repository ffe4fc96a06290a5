using KernelGen.Ir;

namespace KernelGen.Lowering
{
    /// <summary>The thread-identity properties of <c>KernelGen.Kernel</c> and the WGSL builtins they read.</summary>
    internal static class Builtins
    {
        public static bool TryGet(string propertyName, out IrBuiltin builtin)
        {
            switch (propertyName)
            {
                case "GlobalId": builtin = new IrBuiltin(IrType.Vec3U32, BuiltinKind.GlobalId); return true;
                case "LocalId": builtin = new IrBuiltin(IrType.Vec3U32, BuiltinKind.LocalId); return true;
                case "WorkgroupId": builtin = new IrBuiltin(IrType.Vec3U32, BuiltinKind.WorkgroupId); return true;
                case "NumWorkgroups": builtin = new IrBuiltin(IrType.Vec3U32, BuiltinKind.NumWorkgroups); return true;
                case "LocalIndex": builtin = new IrBuiltin(IrType.U32, BuiltinKind.LocalIndex); return true;
                default: builtin = null!; return false;
            }
        }

        /// <summary>The WGSL attribute and the parameter name of the entry point that receives it.</summary>
        public static (string Attribute, string Name) Wgsl(BuiltinKind kind) => kind switch
        {
            BuiltinKind.GlobalId => ("global_invocation_id", "global_id"),
            BuiltinKind.LocalId => ("local_invocation_id", "local_id"),
            BuiltinKind.WorkgroupId => ("workgroup_id", "workgroup_id"),
            BuiltinKind.NumWorkgroups => ("num_workgroups", "num_workgroups"),
            _ => ("local_invocation_index", "local_index"),
        };
    }
}
