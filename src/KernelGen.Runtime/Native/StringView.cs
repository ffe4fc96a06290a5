using System.Text;

namespace KernelGen.Native;

/// <summary>
/// WGPUStringView (16 bytes): UTF-8 bytes and a length. <c>length = SIZE_MAX</c> means NUL-terminated;
/// <c>{NULL, SIZE_MAX}</c> means "not set" and <c>{NULL, 0}</c> means empty (an empty entry point is an error).
/// </summary>
internal unsafe struct StringView
{
    public byte* Data;
    public nuint Length;

    private static readonly nuint NulTerminated = nuint.MaxValue;

    public static StringView Null => new() { Data = null, Length = NulTerminated };

    /// <summary>A view of bytes the caller keeps pinned (a <c>fixed</c> block or a <c>u8</c> literal) while Dawn reads them.</summary>
    public static StringView Of(byte* data, int length) => new() { Data = data, Length = (nuint)length };

    public override string ToString()
    {
        if (Data == null) return "";
        if (Length == NulTerminated) return Encoding.UTF8.GetString(Data, Strlen(Data));
        return Encoding.UTF8.GetString(Data, checked((int)Length));
    }

    private static int Strlen(byte* p)
    {
        int n = 0;
        while (p[n] != 0) n++;
        return n;
    }
}
