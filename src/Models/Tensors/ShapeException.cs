namespace KernelGen.Models.Tensors;

/// <summary>
/// Operands whose shapes do not fit, found before anything is dispatched: names the operation, the layer (when a
/// module called it) and both shapes, e.g. <c>Linear in layer 'fc2': input [64, 100] does not match weight [10, 128]
/// (expected last dimension 128)</c>.
/// </summary>
public sealed class ShapeException : ArgumentException
{
    public ShapeException(string operation, string? layer, string problem)
        : base($"{operation}{(layer is null ? "" : $" in layer '{layer}'")}: {problem}")
    {
        Operation = operation;
        Layer = layer;
    }

    public string Operation { get; }

    public string? Layer { get; }
}
