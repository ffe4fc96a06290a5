namespace KernelGen.Models.Data;

/// <summary>
/// One fixed, seeded shuffle of pixel positions, applied to every image of a data set: the same digits with their
/// spatial layout destroyed. A model that treats the image as a flat vector (the MLP) can learn the permuted images
/// as well as the originals; one built on locality (a convolution, 4x4 patches) loses what it assumed.
/// </summary>
public sealed class PixelPermutation
{
    private readonly int[] source;

    /// <summary>A random order of <paramref name="pixels"/> positions from <paramref name="seed"/> (Fisher-Yates).</summary>
    public PixelPermutation(int pixels, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, 1);
        source = Enumerable.Range(0, pixels).ToArray();
        new Random(seed).Shuffle(source);
        Seed = seed;
    }

    public int Seed { get; }

    /// <summary>Pixel <c>i</c> of a permuted image is pixel <c>SourceOf(i)</c> of the original.</summary>
    public int SourceOf(int pixel) => source[pixel];

    /// <summary>A copy of <paramref name="images"/> with every image's pixels reordered; labels unchanged.</summary>
    public ImageDataSet Apply(ImageDataSet images)
    {
        if (images.PixelsPerImage != source.Length)
            throw new ArgumentException($"{images.Name}: images of {images.PixelsPerImage} pixels; this permutation orders {source.Length}.", nameof(images));
        int n = source.Length;
        var pixels = GC.AllocateUninitializedArray<float>(images.Pixels.Length);
        for (int image = 0; image < images.Count; image++)
        {
            var from = images.Image(image);
            var to = pixels.AsSpan(image * n, n);
            for (int i = 0; i < n; i++) to[i] = from[source[i]];
        }
        return new ImageDataSet($"{images.Name}, pixels permuted (seed {Seed})", pixels, (int[])images.Labels.Clone(),
            images.Height, images.Width, images.Classes, images.ClassNames);
    }
}
