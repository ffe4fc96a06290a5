using KernelGen.Models.Kernels;

namespace KernelGen.Models.Tensors;

public static partial class Functional
{
    /// <summary>
    /// y = x Wᵀ + b over the last axis of x (PyTorch's layout: W is [out, in], b is [out]), with an optional fused
    /// activation; x is [..., in] and y [..., out]. The fused ReLU's gradient is taken from y (ReLU'(x) = [y &gt; 0]).
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null, string? layer = null)
    {
        Require(weight.Shape.Rank == 2, "Linear", layer, $"weight must be [out, in], got {weight.Shape}");
        int outFeatures = weight.Shape[0], inFeatures = weight.Shape[1];
        Require(x.Shape.Last == inFeatures, "Linear", layer,
            $"input {x.Shape} does not match weight {weight.Shape} (the input's last dimension must be {inFeatures})");
        Require(bias is null || bias.Shape.Count == outFeatures, "Linear", layer, $"bias {bias?.Shape} does not match weight {weight.Shape}");
        var graph = Graph.Of("Linear", x, weight, bias);
        var device = graph.Device;
        int rows = x.Shape.Rows;
        var y = graph.NewTensor(x.Shape.WithLast(outFeatures), "linear", x.RequiresGrad || weight.RequiresGrad || bias?.RequiresGrad == true);
        Ops.Matmul(device, x.Buffer, weight.Buffer, y.Buffer, rows, outFeatures, inFeatures,
            new MatmulOptions { TransposeB = true, Bias = bias?.Buffer });
        graph.Record(y, dy =>
        {
            // dx [rows, in] = dy [rows, out] · W [out, in]; dW [out, in] = dyᵀ · x; db = the column sums of dy.
            graph.Accumulate(x, (dx, beta) => Ops.Matmul(device, dy.Buffer, weight.Buffer, dx, rows, inFeatures, outFeatures,
                new MatmulOptions { Beta = beta }));
            graph.Accumulate(weight, (dw, beta) => Ops.Matmul(device, dy.Buffer, x.Buffer, dw, outFeatures, inFeatures, rows,
                new MatmulOptions { TransposeA = true, Beta = beta }));
            if (bias is not null)
                graph.Accumulate(bias, (db, beta) => Ops.ReduceToBroadcast(device, dy.Buffer, null, db, rows * outFeatures, 1, outFeatures, beta: beta));
        });
        return y;
    }
}
