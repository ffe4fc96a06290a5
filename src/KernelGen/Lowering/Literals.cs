using System;
using System.Globalization;
using KernelGen.Ir;

namespace KernelGen.Lowering
{
    /// <summary>Spells constants as typed WGSL literals, so no abstract-numeric inference can change their meaning.</summary>
    internal static class Literals
    {
        public static IrLiteral? FromConstant(object? value, IrType type)
        {
            if (value is null || type.IsVector) return null;
            switch (type.Scalar)
            {
                case ScalarKind.F32: return new IrLiteral(type, Float(Convert.ToSingle(value, CultureInfo.InvariantCulture)));
                case ScalarKind.I32: return new IrLiteral(type, Int(Convert.ToInt32(value, CultureInfo.InvariantCulture)));
                case ScalarKind.U32: return new IrLiteral(type, Convert.ToUInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "u");
                default: return new IrLiteral(type, Convert.ToBoolean(value, CultureInfo.InvariantCulture) ? "true" : "false");
            }
        }

        public static IrLiteral Zero(IrType type) => type.IsVector || type.Struct is not null
            ? new IrLiteral(type, type.Wgsl + "()")
            : FromConstant(0, type)!;

        public static IrLiteral One(IrType type) => FromConstant(1, type)!;

        private static string Float(float value)
        {
            // WGSL has no literal for infinities or NaN, and rejects them in constant expressions, so they are read
            // from private variables holding their bit patterns (see SpecialFloats).
            foreach (var special in SpecialFloats.All)
                if (special.Bits == BitConverter.ToInt32(BitConverter.GetBytes(value), 0) || (float.IsNaN(value) && special.IsNaN))
                    return "bitcast<f32>(" + special.Variable + ")";
            // Near float.MaxValue the shortest decimal lies above the largest f32, which Tint rejects; the hex form
            // of the bits is exact.
            if (Math.Abs(value) > 3e38f) return Hex(value);
            var text = value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
            if (text.IndexOf('.') < 0 && text.IndexOf('e') < 0) text += ".0";
            return text + "f";
        }

        private static string Hex(float value)
        {
            int bits = BitConverter.ToInt32(BitConverter.GetBytes(value), 0);
            int exponent = ((bits >> 23) & 0xff) - 127;
            int mantissa = (bits & 0x7fffff) << 1; // 24 bits: six hex digits after the point
            return (bits < 0 ? "-" : "") + "0x1." + mantissa.ToString("x6", CultureInfo.InvariantCulture) + "p" +
                   exponent.ToString("+0;-0", CultureInfo.InvariantCulture) + "f";
        }

        private static string Int(int value) =>
            // 2147483648i is out of range, so the most negative i32 has to be computed.
            value == int.MinValue ? "(-2147483647i - 1i)" : value.ToString(CultureInfo.InvariantCulture) + "i";
    }
}
