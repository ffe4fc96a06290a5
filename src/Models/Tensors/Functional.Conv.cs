using KernelGen.Models.Kernels;

namespace KernelGen.Models.Tensors;

public static partial class Functional
{
    /// <summary>2D convolution of x [batch, in, h, w] with weight [out, in, kh, kw] and an optional bias [out].</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, string? layer = null)
    {
        Require(x.Shape.Rank == 4, "Conv2d", layer, $"input must be [batch, channels, height, width], got {x.Shape}");
        Require(weight.Shape.Rank == 4 && weight.Shape[1] == x.Shape[1], "Conv2d", layer,
            $"input {x.Shape} does not match weight {weight.Shape} (expected {x.Shape[1]} input channels)");
        var shape = new Conv2dShape(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], weight.Shape[0], weight.Shape[2], weight.Shape[3],
            stride, stride, padding, padding);
        Require(shape.OutH > 0 && shape.OutW > 0, "Conv2d", layer, $"a {weight.Shape[2]}x{weight.Shape[3]} kernel does not fit input {x.Shape} with padding {padding}");
        var graph = Graph.Of("Conv2d", x, weight, bias);
        var device = graph.Device;
        var y = graph.NewTensor(new Shape(shape.Batch, shape.OutChannels, shape.OutH, shape.OutW), "conv",
            x.RequiresGrad || weight.RequiresGrad || bias?.RequiresGrad == true);
        Ops.Conv2d(device, x.Buffer, weight.Buffer, bias?.Buffer, y.Buffer, shape, pool: graph.Pool);
        graph.Record(y, dy =>
        {
            // The input's gradient and the parameters' are separate launches, so each gets its own beta.
            if (x.RequiresGrad)
                graph.Accumulate(x, (dx, beta) => Ops.Conv2dBackward(device, x.Buffer, weight.Buffer, dy.Buffer, dx, null, null, shape, beta, pool: graph.Pool));
            var set = bias is null ? graph.Gradients(weight) : graph.Gradients(weight, bias);
            Ops.Conv2dBackward(device, x.Buffer, weight.Buffer, dy.Buffer, null, set[0], bias is null ? null : set[1], shape, set.Beta, pool: graph.Pool);
            graph.Finish(set);
        });
        return y;
    }

    /// <summary>Max pooling over size x size windows with stride <paramref name="stride"/> (default: the size).</summary>
    public static Tensor MaxPool2d(Tensor x, int size, int? stride = null, string? layer = null)
    {
        var shape = PoolShape("MaxPool2d", x, size, stride ?? size, layer);
        var graph = Graph.Of("MaxPool2d", x);
        var device = graph.Device;
        var y = graph.NewTensor(new Shape(shape.Batch, shape.Channels, shape.OutH, shape.OutW), "maxpool", x.RequiresGrad);
        var argmax = graph.Rent<int>(y.Shape.Count);
        Ops.MaxPool2d(device, x.Buffer, y.Buffer, argmax, shape);
        graph.Record(y, dy => graph.Accumulate(x, (dx, beta) => Ops.MaxPool2dBackward(device, dy.Buffer, argmax, dx, shape, beta)));
        return y;
    }

    /// <summary>Average pooling over size x size windows with stride <paramref name="stride"/> (default: the size).</summary>
    public static Tensor AvgPool2d(Tensor x, int size, int? stride = null, string? layer = null)
    {
        var shape = PoolShape("AvgPool2d", x, size, stride ?? size, layer);
        var graph = Graph.Of("AvgPool2d", x);
        var device = graph.Device;
        var y = graph.NewTensor(new Shape(shape.Batch, shape.Channels, shape.OutH, shape.OutW), "avgpool", x.RequiresGrad);
        Ops.AvgPool2d(device, x.Buffer, y.Buffer, shape);
        graph.Record(y, dy => graph.Accumulate(x, (dx, beta) => Ops.AvgPool2dBackward(device, dy.Buffer, dx, shape, beta)));
        return y;
    }

    private static Pool2dShape PoolShape(string operation, Tensor x, int size, int stride, string? layer)
    {
        Require(x.Shape.Rank == 4, operation, layer, $"input must be [batch, channels, height, width], got {x.Shape}");
        Require(size > 0 && stride > 0 && x.Shape[2] >= size && x.Shape[3] >= size, operation, layer,
            $"a {size}x{size} window with stride {stride} does not fit input {x.Shape}");
        return new Pool2dShape(x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3], size, size, stride, stride);
    }
}
