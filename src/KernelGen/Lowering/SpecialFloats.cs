namespace KernelGen.Lowering
{
    /// <summary>
    /// Infinities and NaN as WGSL can hold them: a module-scope <c>var&lt;private&gt;</c> with the bit pattern, read
    /// through <c>bitcast&lt;f32&gt;</c> at run time (Tint rejects a constant expression whose value is not finite).
    /// </summary>
    internal sealed class SpecialFloats
    {
        private SpecialFloats(string variable, int bits, bool isNaN)
        {
            Variable = variable;
            Bits = bits;
            IsNaN = isNaN;
        }

        public static readonly SpecialFloats[] All =
        {
            new SpecialFloats("kg_positive_infinity_bits", 0x7f800000, false),
            new SpecialFloats("kg_negative_infinity_bits", unchecked((int)0xff800000), false),
            new SpecialFloats("kg_nan_bits", 0x7fc00000, true),
        };

        public string Variable { get; }

        public int Bits { get; }

        public bool IsNaN { get; }

        public string Declaration => "var<private> " + Variable + ": u32 = 0x" + Bits.ToString("x8") + "u;";
    }
}
