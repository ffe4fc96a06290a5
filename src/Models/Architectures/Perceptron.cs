using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Architectures;

/// <summary>
/// The perceptron: one affine map from pixels to class scores, f(x) = W x + b, with the softmax in the loss. Each
/// class's row of W is a template the image is compared with; that is all a linear model can do.
/// </summary>
public sealed class Perceptron : ImageClassifier
{
    public Perceptron(Init init, ImageShape input, int classes = 10) : base(input, classes)
    {
        Classifier = Register("classifier", new Linear(init, input.Pixels, classes));
    }

    public Linear Classifier { get; }

    public override Tensor Forward(Tensor images)
    {
        CheckInput(images);
        return Classifier.Forward(Flatten(images, Path));
    }
}
