namespace KernelGen.Models.Tensors;

/// <summary>
/// Integer data on the device: class labels or token ids, [batch] or [batch, time]. Made by
/// <see cref="Graph.Indices"/>, which checks every value against its limit before anything is dispatched.
/// </summary>
public sealed class IntTensor
{
    internal IntTensor(Shape shape, GpuBuffer<int> buffer, Graph graph)
    {
        Shape = shape;
        Buffer = buffer;
        Graph = graph;
    }

    public Shape Shape { get; }

    public GpuBuffer<int> Buffer { get; }

    public Graph Graph { get; }

    public override string ToString() => $"int tensor {Shape}";
}
