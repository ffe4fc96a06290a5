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

    /// <summary>The smaller of each pair of lanes (WGSL <c>min</c>).</summary>
    public static Int2 Min(Int2 a, Int2 b) => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y));
    /// <summary>The larger of each pair of lanes (WGSL <c>max</c>).</summary>
    public static Int2 Max(Int2 a, Int2 b) => new(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y));
    /// <summary>Each lane limited to [min, max] as WGSL's <c>clamp</c>: <c>Min(Max(value, min), max)</c>, so unlike Math.Clamp it does not throw when min &gt; max.</summary>
    public static Int2 Clamp(Int2 value, Int2 min, Int2 max) => Min(Max(value, min), max);
    /// <summary>The absolute value of each lane (WGSL <c>abs</c>); <c>int.MinValue</c> stays <c>int.MinValue</c> as in WGSL, where Math.Abs would throw.</summary>
    public static Int2 Abs(Int2 a) => new(a.X < 0 ? unchecked(-a.X) : a.X, a.Y < 0 ? unchecked(-a.Y) : a.Y);

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

    /// <summary>The smaller of each pair of lanes (WGSL <c>min</c>).</summary>
    public static Int3 Min(Int3 a, Int3 b) => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z));
    /// <summary>The larger of each pair of lanes (WGSL <c>max</c>).</summary>
    public static Int3 Max(Int3 a, Int3 b) => new(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z));
    /// <summary>Each lane limited to [min, max] as WGSL's <c>clamp</c>: <c>Min(Max(value, min), max)</c>, so unlike Math.Clamp it does not throw when min &gt; max.</summary>
    public static Int3 Clamp(Int3 value, Int3 min, Int3 max) => Min(Max(value, min), max);
    /// <summary>The absolute value of each lane (WGSL <c>abs</c>); <c>int.MinValue</c> stays <c>int.MinValue</c> as in WGSL, where Math.Abs would throw.</summary>
    public static Int3 Abs(Int3 a) => new(a.X < 0 ? unchecked(-a.X) : a.X, a.Y < 0 ? unchecked(-a.Y) : a.Y, a.Z < 0 ? unchecked(-a.Z) : a.Z);

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

    /// <summary>The smaller of each pair of lanes (WGSL <c>min</c>).</summary>
    public static Int4 Min(Int4 a, Int4 b) => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z), Math.Min(a.W, b.W));
    /// <summary>The larger of each pair of lanes (WGSL <c>max</c>).</summary>
    public static Int4 Max(Int4 a, Int4 b) => new(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z), Math.Max(a.W, b.W));
    /// <summary>Each lane limited to [min, max] as WGSL's <c>clamp</c>: <c>Min(Max(value, min), max)</c>, so unlike Math.Clamp it does not throw when min &gt; max.</summary>
    public static Int4 Clamp(Int4 value, Int4 min, Int4 max) => Min(Max(value, min), max);
    /// <summary>The absolute value of each lane (WGSL <c>abs</c>); <c>int.MinValue</c> stays <c>int.MinValue</c> as in WGSL, where Math.Abs would throw.</summary>
    public static Int4 Abs(Int4 a) => new(a.X < 0 ? unchecked(-a.X) : a.X, a.Y < 0 ? unchecked(-a.Y) : a.Y, a.Z < 0 ? unchecked(-a.Z) : a.Z, a.W < 0 ? unchecked(-a.W) : a.W);

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

    /// <summary>The smaller of each pair of lanes (WGSL <c>min</c>).</summary>
    public static UInt2 Min(UInt2 a, UInt2 b) => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y));
    /// <summary>The larger of each pair of lanes (WGSL <c>max</c>).</summary>
    public static UInt2 Max(UInt2 a, UInt2 b) => new(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y));
    /// <summary>Each lane limited to [min, max] as WGSL's <c>clamp</c>: <c>Min(Max(value, min), max)</c>, so unlike Math.Clamp it does not throw when min &gt; max.</summary>
    public static UInt2 Clamp(UInt2 value, UInt2 min, UInt2 max) => Min(Max(value, min), max);

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

    /// <summary>The smaller of each pair of lanes (WGSL <c>min</c>).</summary>
    public static UInt3 Min(UInt3 a, UInt3 b) => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z));
    /// <summary>The larger of each pair of lanes (WGSL <c>max</c>).</summary>
    public static UInt3 Max(UInt3 a, UInt3 b) => new(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z));
    /// <summary>Each lane limited to [min, max] as WGSL's <c>clamp</c>: <c>Min(Max(value, min), max)</c>, so unlike Math.Clamp it does not throw when min &gt; max.</summary>
    public static UInt3 Clamp(UInt3 value, UInt3 min, UInt3 max) => Min(Max(value, min), max);

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

    /// <summary>The smaller of each pair of lanes (WGSL <c>min</c>).</summary>
    public static UInt4 Min(UInt4 a, UInt4 b) => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z), Math.Min(a.W, b.W));
    /// <summary>The larger of each pair of lanes (WGSL <c>max</c>).</summary>
    public static UInt4 Max(UInt4 a, UInt4 b) => new(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z), Math.Max(a.W, b.W));
    /// <summary>Each lane limited to [min, max] as WGSL's <c>clamp</c>: <c>Min(Max(value, min), max)</c>, so unlike Math.Clamp it does not throw when min &gt; max.</summary>
    public static UInt4 Clamp(UInt4 value, UInt4 min, UInt4 max) => Min(Max(value, min), max);

    public override string ToString() => $"({X}, {Y}, {Z}, {W})";
}
