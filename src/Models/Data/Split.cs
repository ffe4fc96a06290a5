namespace KernelGen.Models.Data;

/// <summary>Which part of a data set: the part a model learns from, or the held-out part it is measured on.</summary>
public enum Split
{
    /// <summary>MNIST's and Fashion-MNIST's 60,000 training images; the first 90% of a text's tokens.</summary>
    Train,

    /// <summary>MNIST's and Fashion-MNIST's 10,000 test images; the last 10% of a text's tokens.</summary>
    Test,

    /// <summary>The same held-out part as <see cref="Test"/>, under the name language-model code uses for it.</summary>
    Validation = Test,
}
