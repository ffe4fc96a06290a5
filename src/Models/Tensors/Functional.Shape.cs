using KernelGen.Models.Kernels;

namespace KernelGen.Models.Tensors;

public static partial class Functional
{
    /// <summary>The same elements under a new shape (flatten, split a dimension): no copy; the gradient is copied back.</summary>
    public static Tensor Reshape(Tensor x, Shape shape, string? layer = null)
    {
        Require(shape.Count == x.Shape.Count, "Reshape", layer, $"cannot view {x.Shape} ({x.Shape.Count} elements) as {shape} ({shape.Count})");
        var graph = Graph.Of("Reshape", x);
        var device = graph.Device;
        var y = graph.View(x, shape, x.RequiresGrad);
        int n = shape.Count;
        graph.Record(y, dy => graph.Accumulate(x, (dx, beta) => Ops.Axpby(device, dy.Buffer, dx, 1f, beta, n)));
        return y;
    }

    /// <summary>[n, ...] to [n, rest]: everything after the first dimension in one (before a classifier).</summary>
    public static Tensor Flatten(Tensor x, string? layer = null) => Reshape(x, new Shape(x.Shape[0], x.Shape.Count / x.Shape[0]), layer);

    /// <summary>
    /// Swaps the two middle dimensions of x viewed as [outer, a, b, inner]: the result is [outer, b, a, inner]
    /// (a feature map's [batch, channels, positions] to [batch, positions, channels], a sequence's heads apart).
    /// </summary>
    public static Tensor SwapMiddle(Tensor x, int outer, int a, int b, int inner, Shape shape, string? layer = null)
    {
        Require((long)outer * a * b * inner == x.Shape.Count && shape.Count == x.Shape.Count, "SwapMiddle", layer,
            $"[{outer}, {a}, {b}, {inner}] does not cover {x.Shape}, or the result shape {shape} has another size");
        var graph = Graph.Of("SwapMiddle", x);
        var device = graph.Device;
        var y = graph.NewTensor(shape, "swap", x.RequiresGrad);
        Ops.SwapMiddle(device, x.Buffer, y.Buffer, outer, a, b, inner);
        graph.Record(y, dy => graph.AccumulateOverwriting(x, dx => Ops.SwapMiddle(device, dy.Buffer, dx, outer, b, a, inner)));
        return y;
    }

    /// <summary>[batch, channels, height, width] to [batch, height*width, channels]: a feature map as a sequence of positions.</summary>
    public static Tensor ChannelsLast(Tensor x, string? layer = null)
    {
        Require(x.Shape.Rank == 4, "ChannelsLast", layer, $"expected [batch, channels, height, width], got {x.Shape}");
        int n = x.Shape[0], c = x.Shape[1], hw = x.Shape[2] * x.Shape[3];
        return SwapMiddle(x, n, c, hw, 1, new Shape(n, hw, c), layer);
    }

    /// <summary>[batch, positions, channels] back to [batch, channels, height, width].</summary>
    public static Tensor ChannelsFirst(Tensor x, int height, int width, string? layer = null)
    {
        Require(x.Shape.Rank == 3 && x.Shape[1] == height * width, "ChannelsFirst", layer,
            $"expected [batch, {height * width}, channels], got {x.Shape}");
        int n = x.Shape[0], c = x.Shape[2];
        return SwapMiddle(x, n, height * width, c, 1, new Shape(n, c, height, width), layer);
    }

    /// <summary>[batch, time, features] to [batch, features, time] (the MLP-Mixer's token mixing works across time).</summary>
    public static Tensor TransposeLastTwo(Tensor x, string? layer = null)
    {
        Require(x.Shape.Rank == 3, "TransposeLastTwo", layer, $"expected [batch, rows, columns], got {x.Shape}");
        return SwapMiddle(x, x.Shape[0], x.Shape[1], x.Shape[2], 1, new Shape(x.Shape[0], x.Shape[2], x.Shape[1]), layer);
    }

    /// <summary>[batch, time, heads*headDim] to [batch*heads, time, headDim].</summary>
    public static Tensor SplitHeads(Tensor x, int heads, string? layer = null)
    {
        Require(x.Shape.Rank == 3 && x.Shape[2] % heads == 0, "SplitHeads", layer, $"{x.Shape} cannot be split into {heads} heads");
        int b = x.Shape[0], t = x.Shape[1], d = x.Shape[2] / heads;
        return SwapMiddle(x, b, t, heads, d, new Shape(b * heads, t, d), layer);
    }

    /// <summary>[batch*heads, time, headDim] back to [batch, time, heads*headDim].</summary>
    public static Tensor MergeHeads(Tensor x, int heads, string? layer = null)
    {
        Require(x.Shape.Rank == 3 && x.Shape[0] % heads == 0, "MergeHeads", layer, $"{x.Shape} does not hold {heads} heads per batch element");
        int b = x.Shape[0] / heads, t = x.Shape[1], d = x.Shape[2];
        return SwapMiddle(x, b, heads, t, d, new Shape(b, t, heads * d), layer);
    }

    /// <summary>The mean over axis 1 of [batch, time, features]: [batch, features] (global average pooling of tokens).</summary>
    public static Tensor MeanOverTime(Tensor x, string? layer = null)
    {
        Require(x.Shape.Rank == 3, "MeanOverTime", layer, $"expected [batch, time, features], got {x.Shape}");
        var graph = Graph.Of("MeanOverTime", x);
        var device = graph.Device;
        int b = x.Shape[0], t = x.Shape[1], d = x.Shape[2];
        var y = graph.NewTensor(new Shape(b, d), "mean", x.RequiresGrad);
        Ops.Reduce(device, ReduceKind.Mean, x.Buffer, y.Buffer, b, t, d);
        graph.Record(y, dy => graph.Accumulate(x, (dx, beta) =>
            Ops.ReduceBackward(device, ReduceKind.Mean, x.Buffer, y.Buffer, dy.Buffer, dx, b, t, d, beta)));
        return y;
    }
}
