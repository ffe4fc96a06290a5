namespace KernelGen.Models.Data;

/// <summary>
/// A long-range task built from MNIST: two digits side by side with a blank gap between them, labelled "same" when
/// they are the same digit and "different" otherwise (half of each). With two digit classes it is XOR of two
/// distant regions; the article's version uses 0s and 1s, which a non-local block learns in two epochs. Neither digit alone says anything about the
/// label: a model must compare two regions <see cref="Gap"/> + 28 pixels apart. A stack of small convolutions
/// followed by global average pooling cannot (no position sees both digits, and a linear map of the sum of two
/// independent features cannot tell "a, a" from "a, b"); attention over positions can.
/// </summary>
public static class DigitPairs
{
    /// <summary>The blank columns between the two digits: wider than the CNN's 16-pixel receptive field.</summary>
    public const int Gap = 28;

    public static readonly IReadOnlyList<string> ClassNames = ["different", "same"];

    /// <summary>
    /// <paramref name="count"/> pairs of <paramref name="digits"/>' images of the classes <paramref name="classes"/>
    /// (default: all), each image used in either position, a [28 x (56 + gap)] image per pair, with labels 0
    /// (different) and 1 (same) in equal numbers, from <paramref name="seed"/>.
    /// </summary>
    public static ImageDataSet Create(ImageDataSet digits, int count, int seed, int gap = Gap, IReadOnlyList<int>? classes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        int h = digits.Height, w = digits.Width, width = 2 * w + gap;
        var used = classes ?? Enumerable.Range(0, digits.Classes).ToArray();
        if (used.Count < 2 || used.Any(c => (uint)c >= (uint)digits.Classes))
            throw new ArgumentException($"{digits.Name}: pairs need at least two of its {digits.Classes} classes; got [{string.Join(", ", used)}].", nameof(classes));
        var byClass = used.Select(c => Enumerable.Range(0, digits.Count).Where(i => digits.Labels[i] == c).ToArray()).ToArray();
        if (byClass.Any(members => members.Length < 2))
            throw new ArgumentException($"{digits.Name}: every class needs at least two images to make pairs.", nameof(digits));

        float background = digits.Pixels.Min();   // what a blank pixel is after normalisation
        var pixels = new float[count * h * width];
        pixels.AsSpan().Fill(background);
        var labels = new int[count];
        var random = new Random(seed);
        for (int pair = 0; pair < count; pair++)
        {
            int leftClass = random.Next(used.Count);
            int left = byClass[leftClass][random.Next(byClass[leftClass].Length)];
            bool same = pair % 2 == 1;
            int rightClass = same ? leftClass : (leftClass + 1 + random.Next(used.Count - 1)) % used.Count;
            var candidates = byClass[rightClass];
            int right = candidates[random.Next(candidates.Length)];
            if (right == left) right = candidates[(Array.IndexOf(candidates, left) + 1) % candidates.Length];
            labels[pair] = same ? 1 : 0;
            var image = pixels.AsSpan(pair * h * width, h * width);
            for (int row = 0; row < h; row++)
            {
                digits.Image(left).Slice(row * w, w).CopyTo(image.Slice(row * width, w));
                digits.Image(right).Slice(row * w, w).CopyTo(image.Slice(row * width + w + gap, w));
            }
        }
        return new ImageDataSet($"{digits.Name} digit pairs (gap {gap})", pixels, labels, h, width, 2, ClassNames);
    }
}
