using System.Collections.Generic;

namespace KernelGen.Lowering
{
    /// <summary>
    /// Keeps C# names in the WGSL where it can (readable shaders), and renames those WGSL forbids or that would shadow
    /// something the shader needs: keywords, reserved words, builtin functions and types, and the module's own names.
    /// </summary>
    internal sealed class WgslNames
    {
        // WGSL keywords, reserved words, type names and the builtin functions KernelGen may call.
        private static readonly HashSet<string> Forbidden = new HashSet<string>
        {
            "alias", "break", "case", "const", "const_assert", "continue", "continuing", "default", "diagnostic",
            "discard", "else", "enable", "false", "fn", "for", "if", "let", "loop", "override", "requires", "return",
            "struct", "switch", "true", "var", "while",
            "NULL", "Self", "abstract", "active", "alignas", "alignof", "as", "asm", "asm_fragment", "async",
            "attribute", "auto", "await", "become", "binding_array", "cast", "catch", "class", "co_await",
            "co_return", "co_yield", "coherent", "column_major", "common", "compile", "compile_fragment", "concept",
            "const_cast", "consteval", "constexpr", "constinit", "crate", "debugger", "decltype", "delete", "demote",
            "demote_to_helper", "do", "dynamic_cast", "enum", "explicit", "export", "extends", "extern", "external",
            "fallthrough", "filter", "final", "finally", "friend", "from", "fxgroup", "get", "goto", "groupshared",
            "highp", "impl", "implements", "import", "inline", "instanceof", "interface", "layout", "lowp", "macro",
            "macro_rules", "match", "mediump", "meta", "mod", "module", "move", "mut", "mutable", "namespace", "new",
            "nil", "noexcept", "noinline", "nointerpolation", "noperspective", "null", "nullptr", "of", "operator",
            "package", "packoffset", "partition", "pass", "patch", "pixelfragment", "precise", "precision",
            "premerge", "priv", "protected", "pub", "public", "readonly", "ref", "regardless", "register",
            "reinterpret_cast", "require", "resource", "restrict", "self", "set", "shared", "sizeof", "smooth",
            "snorm", "static", "static_assert", "static_cast", "std", "subroutine", "super", "target", "template",
            "this", "thread_local", "throw", "trait", "try", "type", "typedef", "typeid", "typename", "typeof",
            "union", "unless", "unorm", "unsafe", "unsized", "use", "using", "varying", "virtual", "volatile", "wgsl",
            "where", "with", "writeonly", "yield",
            "bool", "f16", "f32", "i32", "u32", "vec2", "vec3", "vec4", "mat2x2", "mat3x3", "mat4x4", "array",
            "atomic", "ptr", "sampler", "texture_2d", "vec2f", "vec3f", "vec4f", "vec2i", "vec3i", "vec4i", "vec2u",
            "vec3u", "vec4u", "read", "write", "read_write", "function", "private", "workgroup", "uniform", "storage",
            "abs", "acos", "acosh", "all", "any", "arrayLength", "asin", "asinh", "atan", "atan2", "atanh", "bitcast",
            "ceil", "clamp", "cos", "cosh", "countLeadingZeros", "countOneBits", "countTrailingZeros", "cross",
            "degrees", "determinant", "distance", "dot", "exp", "exp2", "extractBits", "faceForward",
            "firstLeadingBit", "firstTrailingBit", "floor", "fma", "fract", "frexp", "insertBits", "inverseSqrt",
            "ldexp", "length", "log", "log2", "max", "min", "mix", "modf", "normalize", "pow", "quantizeToF16",
            "radians", "reflect", "refract", "reverseBits", "round", "saturate", "select", "sign", "sin", "sinh",
            "smoothstep", "sqrt", "step", "tan", "tanh", "transpose", "trunc", "workgroupBarrier", "storageBarrier",
            "atomicAdd", "atomicSub", "atomicMax", "atomicMin", "atomicAnd", "atomicOr", "atomicXor",
            "atomicExchange", "atomicCompareExchangeWeak", "atomicLoad", "atomicStore", "main",
            "kg_positive_infinity_bits", "kg_negative_infinity_bits", "kg_nan_bits",
        };

        private readonly HashSet<string> taken = new HashSet<string>();

        /// <summary>Claims a name for a module-scope item, renaming it (<c>x_</c>) where it would clash.</summary>
        public string Claim(string csharpName)
        {
            var name = Unclash(Legal(csharpName), taken.Contains);
            taken.Add(name);
            return name;
        }

        /// <summary>
        /// The local names of one function: a C# name always maps to the same WGSL name (sibling scopes reuse it, as
        /// in C#), never to a module-scope name, and two C# names never map to the same WGSL name.
        /// </summary>
        public sealed class Locals
        {
            private readonly WgslNames module;
            private readonly Dictionary<string, string> byCSharpName = new Dictionary<string, string>();
            private readonly HashSet<string> used = new HashSet<string>();

            public Locals(WgslNames module) => this.module = module;

            public string Name(string csharpName)
            {
                if (byCSharpName.TryGetValue(csharpName, out var known)) return known;
                var name = Unclash(Legal(csharpName), n => module.taken.Contains(n) || used.Contains(n));
                byCSharpName[csharpName] = name;
                used.Add(name);
                return name;
            }
        }

        /// <summary>A struct or struct-member name: legal and not a reserved word.</summary>
        public static string Member(string csharpName) => Unclash(Legal(csharpName), _ => false);

        /// <summary>Drops C#'s @ escape; "_" alone and a leading "__" are not WGSL identifiers.</summary>
        private static string Legal(string csharpName)
        {
            var name = csharpName.StartsWith("@", System.StringComparison.Ordinal) ? csharpName.Substring(1) : csharpName;
            return name == "_" || name.StartsWith("__", System.StringComparison.Ordinal) ? "v" + name : name;
        }

        private static string Unclash(string name, System.Func<string, bool> isTaken)
        {
            // kg_compare_exchange_<buffer> is a function the module may declare (Emit/WgslCompareExchange.cs).
            if (name.StartsWith("kg_compare_exchange_", System.StringComparison.Ordinal)) name = "v" + name;
            while (Forbidden.Contains(name) || isTaken(name)) name += "_";
            return name;
        }
    }
}
