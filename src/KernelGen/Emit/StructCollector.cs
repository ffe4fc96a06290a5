using System.Collections.Generic;
using System.Linq;
using KernelGen.Ir;
using KernelGen.Model;

namespace KernelGen.Emit
{
    /// <summary>The user structs a kernel's module must declare, nested ones before the structs that hold them.</summary>
    internal static class StructCollector
    {
        public static IReadOnlyList<IrStruct> Collect(KernelModel kernel)
        {
            var types = new List<IrType>();
            types.AddRange(kernel.Parameters.Select(p => p.Type));
            types.AddRange(kernel.WorkgroupArrays.Select(a => a.ElementType));
            Types(kernel.Body, types);
            foreach (var function in kernel.Functions)
            {
                types.Add(function.ReturnType);
                types.AddRange(function.Parameters.Select(p => p.Type));
                Types(function.Body, types);
            }
            var ordered = new List<IrStruct>();
            foreach (var type in types) Add(type, ordered);
            return ordered;
        }

        private static void Add(IrType type, List<IrStruct> ordered)
        {
            if (type.Struct is not { } definition || ordered.Contains(definition)) return;
            foreach (var field in definition.Fields) Add(field.Type, ordered);
            ordered.Add(definition);
        }

        private static void Types(IrBlock block, List<IrType> types)
        {
            types.AddRange(IrWalker.Expressions(block).Select(e => e.Type));
            foreach (var statement in IrWalker.Statements(block))
            {
                if (statement is IrDeclare declare) types.Add(declare.Type);
                if (statement is IrDeclareArray array) types.Add(array.ElementType);
            }
        }
    }
}
