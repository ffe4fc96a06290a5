using KernelGen.Models.Kernels;

namespace KernelGen.Models.Tensors;

/// <summary>
/// The differentiable operations (PyTorch's <c>torch.nn.functional</c>): each checks its operands' shapes, dispatches
/// the kernel library's forward kernels through <see cref="Ops"/>, and records a backward rule that dispatches the
/// matching backward kernels. One file per family: Functional.Linear.cs, .Elementwise.cs, .Shape.cs, .Conv.cs,
/// .Norm.cs, .Attention.cs, .Embedding.cs, .Loss.cs. Modules call them with <c>using static</c>.
/// </summary>
/// <remarks>The optional <c>layer</c> argument is the calling module's name, so a shape error says where it happened.</remarks>
public static partial class Functional
{
    private static void Require(bool condition, string operation, string? layer, string problem)
    {
        if (!condition) throw new ShapeException(operation, layer, problem);
    }
}
