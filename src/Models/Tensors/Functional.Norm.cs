using KernelGen.Models.Kernels;

namespace KernelGen.Models.Tensors;

public static partial class Functional
{
    /// <summary>Layer normalisation over the last axis with a learned per-feature gain and shift.</summary>
    public static Tensor LayerNorm(Tensor x, Tensor gain, Tensor shift, float epsilon = 1e-5f, string? layer = null)
    {
        int cols = x.Shape.Last, rows = x.Shape.Rows;
        Require(gain.Shape.Count == cols && shift.Shape.Count == cols, "LayerNorm", layer,
            $"input {x.Shape} needs a gain and shift of {cols}, got {gain.Shape} and {shift.Shape}");
        var graph = Graph.Of("LayerNorm", x, gain, shift);
        var device = graph.Device;
        var y = graph.NewTensor(x.Shape, "layernorm", x.RequiresGrad || gain.RequiresGrad || shift.RequiresGrad);
        var mean = graph.Rent<float>(rows);
        var rstd = graph.Rent<float>(rows);
        Ops.LayerNorm(device, x.Buffer, gain.Buffer, shift.Buffer, y.Buffer, mean, rstd, rows, cols, epsilon);
        graph.Record(y, dy =>
        {
            var set = graph.Gradients(x, gain, shift);
            Ops.LayerNormBackward(device, x.Buffer, gain.Buffer, dy.Buffer, mean, rstd, set[0], set[1], set[2], rows, cols, set.Beta);
            graph.Finish(set);
        });
        return y;
    }
}
