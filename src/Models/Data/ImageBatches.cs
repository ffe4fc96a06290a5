namespace KernelGen.Models.Data;

/// <summary>
/// Mini-batches over an <see cref="ImageDataSet"/>: each epoch visits every image once, in an order shuffled from
/// (seed, epoch) alone, so a run can be repeated, or resumed at any epoch, and get the same batches. Each batch is
/// copied into arrays the caller owns and reuses, so a training loop allocates nothing per step.
/// </summary>
public sealed class ImageBatches
{
    /// <param name="shuffle">False visits the images in file order every epoch (evaluation).</param>
    /// <param name="dropLast">True skips the final batch when it would be smaller than <paramref name="batchSize"/>.</param>
    public ImageBatches(ImageDataSet data, int batchSize, int seed, bool shuffle = true, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Data = data;
        BatchSize = batchSize;
        Seed = seed;
        Shuffle = shuffle;
        DropLast = dropLast;
    }

    /// <summary>The images batched.</summary>
    public ImageDataSet Data { get; }

    /// <summary>Images per batch (the last one may hold fewer unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>With the epoch, decides each epoch's order.</summary>
    public int Seed { get; }

    /// <summary>Whether each epoch's order is shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a final batch smaller than <see cref="BatchSize"/> is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => DropLast ? Data.Count / BatchSize : (Data.Count + BatchSize - 1) / BatchSize;

    /// <summary>
    /// The order epoch <paramref name="epoch"/> visits the images in: a Fisher-Yates shuffle driven by
    /// <see cref="Random"/> seeded with seed * 1000003 + epoch (a seeded Random's sequence is fixed across .NET
    /// versions, unlike HashCode, which is randomised per process).
    /// </summary>
    public int[] Order(int epoch)
    {
        var order = new int[Data.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (!Shuffle) return order;
        var rng = new Random(unchecked(Seed * 1000003 + epoch));
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>: before each yield, <paramref name="images"/> holds the batch's
    /// pixels (image after image) and <paramref name="labels"/> its labels; the value yielded is how many images the
    /// batch holds (less than <see cref="BatchSize"/> only for a final partial batch; the arrays' tails are then stale).
    /// </summary>
    /// <param name="images">At least <see cref="BatchSize"/> * <see cref="ImageDataSet.PixelsPerImage"/> floats.</param>
    /// <param name="labels">At least <see cref="BatchSize"/> ints.</param>
    public IEnumerable<int> Epoch(int epoch, float[] images, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        long pixels = (long)BatchSize * Data.PixelsPerImage;
        if (images.Length < pixels)
            throw new ArgumentException($"images has {images.Length} floats; a batch of {BatchSize} images of {Data.Height}x{Data.Width} needs {pixels}.", nameof(images));
        if (labels.Length < BatchSize)
            throw new ArgumentException($"labels has {labels.Length} ints; a batch of {BatchSize} needs {BatchSize}.", nameof(labels));
        return Fill(Order(epoch), images, labels);
    }

    private IEnumerable<int> Fill(int[] order, float[] images, int[] labels)
    {
        int size = Data.PixelsPerImage;
        for (int b = 0; b < BatchesPerEpoch; b++)
        {
            int first = b * BatchSize, count = Math.Min(BatchSize, order.Length - first);
            for (int k = 0; k < count; k++)
            {
                int index = order[first + k];
                Data.Pixels.AsSpan(index * size, size).CopyTo(images.AsSpan(k * size, size));
                labels[k] = Data.Labels[index];
            }
            yield return count;
        }
    }
}
