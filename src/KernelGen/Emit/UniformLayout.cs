using System.Collections.Generic;
using System.Linq;
using KernelGen.Ir;
using KernelGen.Model;

namespace KernelGen.Emit
{
    /// <summary>
    /// Where each scalar or vector parameter sits in the uniform block, by WGSL's layout rules: 4-byte scalars,
    /// vec2 aligned to 8, vec3 and vec4 to 16 (vec3 is 12 bytes, so a scalar may follow it in the same 16). The block
    /// is padded to 16 bytes. A struct parameter follows the uniform address space's stricter rule: it starts at a
    /// multiple of 16 and the next field starts at least its size rounded up to 16 later (its own fields keep the
    /// storage layout, checked against C#'s by StructMapper, and StructMapper.UniformProblem refuses a struct whose
    /// nested structs break the rule). The generator writes the same offsets into the WGSL struct and the stub's
    /// packing code.
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
                offset += Size(parameter.Type);
            }
            return fields;
        }

        public static int Size(KernelModel kernel)
        {
            var fields = Fields(kernel);
            if (fields.Count == 0) return 0;
            var (last, offset) = fields[fields.Count - 1];
            return (offset + Size(last.Type) + 15) / 16 * 16;
        }

        /// <summary>
        /// <c>@align(16)</c> and <c>@size(n)</c> for a struct field of the block whose own alignment or size would break
        /// the uniform rule (a struct of scalars aligns to 4), so WGSL places it where <see cref="Fields"/> does.
        /// </summary>
        public static string Attributes(IrType type)
        {
            if (type.Struct is null) return "";
            return (type.Alignment < 16 ? "@align(16) " : "") + (type.Size % 16 != 0 ? "@size(" + Size(type) + ") " : "");
        }

        private static int Alignment(IrType type) => type.Struct is not null ? 16 : type.Lanes switch { 1 => 4, 2 => 8, _ => 16 };

        private static int Size(IrType type) => type.Struct is not null ? (type.Size + 15) / 16 * 16 : type.Lanes * 4;
    }
}
