namespace KernelGen.Models.Tensors;

/// <summary>
/// The dimensions of a row-major tensor, outermost first: [batch, channels, height, width] for images,
/// [batch, time, features] for sequences. Immutable, compared by value, printed as <c>[64, 784]</c>.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] dims;

    public Shape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0) throw new ArgumentException("A shape needs at least one dimension; a scalar is [1].", nameof(dims));
        long count = 1;
        foreach (int d in dims)
        {
            if (d <= 0) throw new ArgumentException($"Every dimension must be positive: {Format(dims)}.", nameof(dims));
            count *= d;
            if (count > int.MaxValue) throw new ArgumentException($"{Format(dims)} has more than 2^31 elements.", nameof(dims));
        }
        this.dims = (int[])dims.Clone();
        Count = (int)count;
    }

    /// <summary>The number of elements.</summary>
    public int Count { get; }

    public int Rank => dims.Length;

    /// <summary>Dimension <paramref name="axis"/>; negative counts from the end (-1 is the last).</summary>
    public int this[int axis] => dims[axis < 0 ? dims.Length + axis : axis];

    /// <summary>The last dimension (features, classes, columns).</summary>
    public int Last => dims[^1];

    /// <summary>The product of every dimension but the last: the rows of the tensor seen as a matrix.</summary>
    public int Rows => Count / Last;

    public ReadOnlySpan<int> Dims => dims;

    /// <summary>This shape with the last dimension replaced.</summary>
    public Shape WithLast(int last)
    {
        var d = (int[])dims.Clone();
        d[^1] = last;
        return new Shape(d);
    }

    public bool Equals(Shape? other) => other is not null && dims.AsSpan().SequenceEqual(other.dims);

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in dims) hash.Add(d);
        return hash.ToHashCode();
    }

    public override string ToString() => Format(dims);

    public static implicit operator Shape(int[] dims) => new(dims);

    private static string Format(int[] dims) => "[" + string.Join(", ", dims) + "]";
}
