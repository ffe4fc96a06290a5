namespace KernelGen;

// The integer vectors of the kernel language: WGSL's vec2/3/4<i32> and vec2/3/4<u32>. UInt3 is also the type of the
// thread ids (Kernel.GlobalId...). Each type is the same code with its own lane count and element type; operators are
// componentwise as in WGSL, and integer division and remainder truncate, as C#'s do.

/// <summary>2 <c>int</c> lanes (WGSL <c>vec2&lt;i32&gt;</c>).</summary>
public readonly record struct Int2(int X, int Y)
{
    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    public Int2(int value) : this(value, value) { }

    public static Int2 operator +(Int2 a, Int2 b) => new(a.X + b.X, a.Y + b.Y);
    public static Int2 operator -(Int2 a, Int2 b) => new(a.X - b.X, a.Y - b.Y);
    public static Int2 operator *(Int2 a, Int2 b) => new(a.X * b.X, a.Y * b.Y);
    public static Int2 operator /(Int2 a, Int2 b) => new(a.X / b.X, a.Y / b.Y);
    public static Int2 operator %(Int2 a, Int2 b) => new(a.X % b.X, a.Y % b.Y);
    public static Int2 operator *(Int2 a, int s) => new(a.X * s, a.Y * s);
    public static Int2 operator *(int s, Int2 a) => new(s * a.X, s * a.Y);
    public static Int2 operator /(Int2 a, int s) => new(a.X / s, a.Y / s);
    public static Int2 operator -(Int2 a) => new(-a.X, -a.Y);

    public override string ToString() => $"({X}, {Y})";
}

/// <summary>3 <c>int</c> lanes (WGSL <c>vec3&lt;i32&gt;</c>).</summary>
public readonly record struct Int3(int X, int Y, int Z)
{
    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    public Int3(int value) : this(value, value, value) { }

    public static Int3 operator +(Int3 a, Int3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Int3 operator -(Int3 a, Int3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Int3 operator *(Int3 a, Int3 b) => new(a.X * b.X, a.Y * b.Y, a.Z * b.Z);
    public static Int3 operator /(Int3 a, Int3 b) => new(a.X / b.X, a.Y / b.Y, a.Z / b.Z);
    public static Int3 operator %(Int3 a, Int3 b) => new(a.X % b.X, a.Y % b.Y, a.Z % b.Z);
    public static Int3 operator *(Int3 a, int s) => new(a.X * s, a.Y * s, a.Z * s);
    public static Int3 operator *(int s, Int3 a) => new(s * a.X, s * a.Y, s * a.Z);
    public static Int3 operator /(Int3 a, int s) => new(a.X / s, a.Y / s, a.Z / s);
    public static Int3 operator -(Int3 a) => new(-a.X, -a.Y, -a.Z);

    public override string ToString() => $"({X}, {Y}, {Z})";
}

/// <summary>4 <c>int</c> lanes (WGSL <c>vec4&lt;i32&gt;</c>).</summary>
public readonly record struct Int4(int X, int Y, int Z, int W)
{
    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    public Int4(int value) : this(value, value, value, value) { }

    public static Int4 operator +(Int4 a, Int4 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z, a.W + b.W);
    public static Int4 operator -(Int4 a, Int4 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z, a.W - b.W);
    public static Int4 operator *(Int4 a, Int4 b) => new(a.X * b.X, a.Y * b.Y, a.Z * b.Z, a.W * b.W);
    public static Int4 operator /(Int4 a, Int4 b) => new(a.X / b.X, a.Y / b.Y, a.Z / b.Z, a.W / b.W);
    public static Int4 operator %(Int4 a, Int4 b) => new(a.X % b.X, a.Y % b.Y, a.Z % b.Z, a.W % b.W);
    public static Int4 operator *(Int4 a, int s) => new(a.X * s, a.Y * s, a.Z * s, a.W * s);
    public static Int4 operator *(int s, Int4 a) => new(s * a.X, s * a.Y, s * a.Z, s * a.W);
    public static Int4 operator /(Int4 a, int s) => new(a.X / s, a.Y / s, a.Z / s, a.W / s);
    public static Int4 operator -(Int4 a) => new(-a.X, -a.Y, -a.Z, -a.W);

    public override string ToString() => $"({X}, {Y}, {Z}, {W})";
}

/// <summary>2 <c>uint</c> lanes (WGSL <c>vec2&lt;u32&gt;</c>).</summary>
public readonly record struct UInt2(uint X, uint Y)
{
    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    public UInt2(uint value) : this(value, value) { }

    public static UInt2 operator +(UInt2 a, UInt2 b) => new(a.X + b.X, a.Y + b.Y);
    public static UInt2 operator -(UInt2 a, UInt2 b) => new(a.X - b.X, a.Y - b.Y);
    public static UInt2 operator *(UInt2 a, UInt2 b) => new(a.X * b.X, a.Y * b.Y);
    public static UInt2 operator /(UInt2 a, UInt2 b) => new(a.X / b.X, a.Y / b.Y);
    public static UInt2 operator %(UInt2 a, UInt2 b) => new(a.X % b.X, a.Y % b.Y);
    public static UInt2 operator *(UInt2 a, uint s) => new(a.X * s, a.Y * s);
    public static UInt2 operator *(uint s, UInt2 a) => new(s * a.X, s * a.Y);
    public static UInt2 operator /(UInt2 a, uint s) => new(a.X / s, a.Y / s);

    public override string ToString() => $"({X}, {Y})";
}

/// <summary>3 <c>uint</c> lanes (WGSL <c>vec3&lt;u32&gt;</c>); the type of the thread ids.</summary>
public readonly record struct UInt3(uint X, uint Y, uint Z)
{
    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    public UInt3(uint value) : this(value, value, value) { }

    public static UInt3 operator +(UInt3 a, UInt3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static UInt3 operator -(UInt3 a, UInt3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static UInt3 operator *(UInt3 a, UInt3 b) => new(a.X * b.X, a.Y * b.Y, a.Z * b.Z);
    public static UInt3 operator /(UInt3 a, UInt3 b) => new(a.X / b.X, a.Y / b.Y, a.Z / b.Z);
    public static UInt3 operator %(UInt3 a, UInt3 b) => new(a.X % b.X, a.Y % b.Y, a.Z % b.Z);
    public static UInt3 operator *(UInt3 a, uint s) => new(a.X * s, a.Y * s, a.Z * s);
    public static UInt3 operator *(uint s, UInt3 a) => new(s * a.X, s * a.Y, s * a.Z);
    public static UInt3 operator /(UInt3 a, uint s) => new(a.X / s, a.Y / s, a.Z / s);

    public override string ToString() => $"({X}, {Y}, {Z})";
}

/// <summary>4 <c>uint</c> lanes (WGSL <c>vec4&lt;u32&gt;</c>).</summary>
public readonly record struct UInt4(uint X, uint Y, uint Z, uint W)
{
    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    public UInt4(uint value) : this(value, value, value, value) { }

    public static UInt4 operator +(UInt4 a, UInt4 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z, a.W + b.W);
    public static UInt4 operator -(UInt4 a, UInt4 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z, a.W - b.W);
    public static UInt4 operator *(UInt4 a, UInt4 b) => new(a.X * b.X, a.Y * b.Y, a.Z * b.Z, a.W * b.W);
    public static UInt4 operator /(UInt4 a, UInt4 b) => new(a.X / b.X, a.Y / b.Y, a.Z / b.Z, a.W / b.W);
    public static UInt4 operator %(UInt4 a, UInt4 b) => new(a.X % b.X, a.Y % b.Y, a.Z % b.Z, a.W % b.W);
    public static UInt4 operator *(UInt4 a, uint s) => new(a.X * s, a.Y * s, a.Z * s, a.W * s);
    public static UInt4 operator *(uint s, UInt4 a) => new(s * a.X, s * a.Y, s * a.Z, s * a.W);
    public static UInt4 operator /(UInt4 a, uint s) => new(a.X / s, a.Y / s, a.Z / s, a.W / s);

    public override string ToString() => $"({X}, {Y}, {Z}, {W})";
}
