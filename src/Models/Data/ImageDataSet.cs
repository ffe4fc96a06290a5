namespace KernelGen.Models.Data;

/// <summary>
/// Labelled single-channel images in memory, ready for a model: <see cref="Pixels"/> holds <see cref="Count"/>
/// images of <see cref="Height"/> x <see cref="Width"/> normalised floats, row-major and back to back, so a batch is
/// one contiguous copy into a device buffer; <see cref="Labels"/> holds one class index per image.
/// </summary>
public sealed class ImageDataSet
{
    /// <summary>Takes the arrays as they are (no copy) after checking their sizes agree and every label is a class.</summary>
    /// <param name="name">Says where the images came from, e.g. "MNIST train"; error messages use it.</param>
    public ImageDataSet(string name, float[] pixels, int[] labels, int height, int width, int classes, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (pixels.LongLength != (long)labels.Length * height * width)
            throw new ArgumentException($"{name}: {pixels.Length} pixels are not {labels.Length} images of {height}x{width}.", nameof(pixels));
        int bad = Array.FindIndex(labels, label => (uint)label >= (uint)classes);
        if (bad >= 0)
            throw new DataSetException(name, $"label {labels[bad]} at index {bad} is out of range: there are {classes} classes (0-{classes - 1})");
        if (classNames is not null && classNames.Count != classes)
            throw new ArgumentException($"{name}: {classNames.Count} class names for {classes} classes.", nameof(classNames));

        Name = name;
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        Classes = classes;
        ClassNames = classNames ?? Enumerable.Range(0, classes).Select(c => c.ToString()).ToArray();
    }

    /// <summary>Where the images came from, e.g. "MNIST train".</summary>
    public string Name { get; }

    /// <summary>All images' normalised pixels, image after image, each row-major: length <see cref="Count"/> * <see cref="PixelsPerImage"/>.</summary>
    public float[] Pixels { get; }

    /// <summary>The class of each image, in 0 .. <see cref="Classes"/> - 1.</summary>
    public int[] Labels { get; }

    /// <summary>How many images there are.</summary>
    public int Count => Labels.Length;

    /// <summary>Rows per image (28 for MNIST).</summary>
    public int Height { get; }

    /// <summary>Columns per image (28 for MNIST).</summary>
    public int Width { get; }

    /// <summary>Height * Width: the length of one image in <see cref="Pixels"/>, and a flat model's input width.</summary>
    public int PixelsPerImage => Height * Width;

    /// <summary>How many classes the labels range over.</summary>
    public int Classes { get; }

    /// <summary>A readable name per class ("T-shirt/top" for Fashion-MNIST's 0; "0" to "9" for MNIST's digits).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>The first <paramref name="count"/> images (a copy): a small, fast training or test set.</summary>
    public ImageDataSet Take(int count) => Subset(0, Math.Min(count, Count));

    /// <summary>Images <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1, copied.</summary>
    public ImageDataSet Subset(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (start + (long)count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"{Name} has {Count} images; {start} + {count} is past the end.");
        var pixels = Pixels.AsSpan(start * PixelsPerImage, count * PixelsPerImage).ToArray();
        var labels = Labels.AsSpan(start, count).ToArray();
        return new ImageDataSet($"{Name} [{start}..{start + count})", pixels, labels, Height, Width, Classes, ClassNames);
    }

    /// <summary>Mini-batches over these images, reshuffled each epoch; see <see cref="ImageBatches"/>.</summary>
    public ImageBatches Batches(int batchSize, int seed, bool shuffle = true, bool dropLast = false) =>
        new(this, batchSize, seed, shuffle, dropLast);

    /// <summary>Name, size and classes, for logs.</summary>
    public override string ToString() => $"{Name}: {Count} images of {Height}x{Width}, {Classes} classes";
}
