using System.Collections.Generic;
using System.Linq;
using KernelGen.Ir;
using KernelGen.Model;

namespace KernelGen.Emit
{
    /// <summary>
    /// Where each scalar or vector parameter sits in the uniform block, by WGSL's layout rules: 4-byte scalars,
    /// vec2 aligned to 8, vec3 and vec4 to 16 (vec3 is 12 bytes, so a scalar may follow it in the same 16). The block
    /// is padded to 16 bytes. The generator writes the same offsets into the WGSL struct and the stub's packing code.
    /// </summary>
    internal static class UniformLayout
    {
        public static IReadOnlyList<(KernelParameter Parameter, int Offset)> Fields(KernelModel kernel)
        {
            var fields = new List<(KernelParameter, int)>();
            int offset = 0;
            foreach (var parameter in kernel.Parameters.Where(p => p.Kind == ParameterKind.Scalar))
            {
                int align = Alignment(parameter.Type);
                offset = (offset + align - 1) / align * align;
                fields.Add((parameter, offset));
                offset += parameter.Type.Lanes * 4;
            }
            return fields;
        }

        public static int Size(KernelModel kernel)
        {
            var fields = Fields(kernel);
            if (fields.Count == 0) return 0;
            var (last, offset) = fields[fields.Count - 1];
            return (offset + last.Type.Lanes * 4 + 15) / 16 * 16;
        }

        private static int Alignment(IrType type) => type.Lanes switch { 1 => 4, 2 => 8, _ => 16 };
    }
}
