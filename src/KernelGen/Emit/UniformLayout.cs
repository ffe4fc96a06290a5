using System.Collections.Generic;
using System.Linq;
using KernelGen.Model;

namespace KernelGen.Emit
{
    /// <summary>
    /// Where each scalar parameter sits in the uniform block. Every supported scalar is 4 bytes with 4-byte
    /// alignment, so fields follow each other; the block is padded to 16 bytes, the granularity uniform buffers
    /// are bound with. The generator writes the same offsets into the WGSL struct and into the stub's packing code.
    /// </summary>
    internal static class UniformLayout
    {
        public static IReadOnlyList<(KernelParameter Parameter, int Offset)> Fields(KernelModel kernel) =>
            kernel.Parameters.Where(p => p.Kind == ParameterKind.Scalar).Select((p, i) => (p, i * 4)).ToList();

        public static int Size(KernelModel kernel)
        {
            int count = kernel.Parameters.Count(p => p.Kind == ParameterKind.Scalar);
            return count == 0 ? 0 : (count * 4 + 15) / 16 * 16;
        }
    }
}
