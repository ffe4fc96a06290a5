using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;

namespace KernelGen.Models.Architectures;

/// <summary>
/// What every vision model of the article is: images [batch, channels, height, width] in, class scores (logits)
/// [batch, classes] out. The training loop, evaluation and the comparison treat them all alike.
/// </summary>
public abstract class ImageClassifier : Layer
{
    protected ImageClassifier(ImageShape input, int classes)
    {
        Input = input;
        Classes = classes;
    }

    public ImageShape Input { get; }

    public int Classes { get; }

    /// <summary>Refuses images of another size before anything runs, naming the model and both shapes.</summary>
    protected void CheckInput(Tensor images)
    {
        var s = images.Shape;
        if (s.Rank != 4 || s[1] != Input.Channels || s[2] != Input.Height || s[3] != Input.Width)
            throw new ShapeException(GetType().Name, Path.Length == 0 ? null : Path,
                $"expected images [batch, {Input.Channels}, {Input.Height}, {Input.Width}], got {s}");
    }
}

/// <summary>The size of one input image.</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public static readonly ImageShape Mnist = new(1, 28, 28);

    public int Pixels => Channels * Height * Width;
}
