using KernelGen.Models.Kernels;

namespace KernelGen.Models.Tensors;

public static partial class Functional
{
    /// <summary>
    /// The mean cross-entropy of [rows, classes] logits against integer targets, as a one-element tensor. The
    /// kernel computes softmax, loss and gradient in one pass; the backward only scales the saved gradient (not even
    /// that when the loss is the root of <see cref="Tensor.Backward"/>).
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, IntTensor targets, string? layer = null)
    {
        int rows = logits.Shape.Rows, classes = logits.Shape.Last;
        Require(targets.Shape.Count == rows, "CrossEntropy", layer, $"logits {logits.Shape} have {rows} rows but targets are {targets.Shape}");
        var graph = Graph.Of("CrossEntropy", logits);
        var device = graph.Device;
        var losses = graph.Rent<float>(rows);
        var softmaxGrad = graph.Rent<float>(rows * classes);
        var loss = graph.NewTensor(new Shape(1), "cross-entropy", logits.RequiresGrad);
        Ops.CrossEntropy(device, logits.Buffer, targets.Buffer, losses, softmaxGrad, rows, classes);
        Ops.Reduce(device, ReduceKind.Mean, losses, loss.Buffer, 1, rows, 1);
        int n = rows * classes;
        graph.Record(loss, dLoss =>
        {
            if (ReferenceEquals(graph.SeedIsOne, loss))
            {
                // The loss is the root: d(logits) is the saved gradient itself, adopted without a copy when it is the first.
                if (graph.TryAdoptGradient(logits, softmaxGrad)) return;
                graph.Accumulate(logits, (dl, beta) => Ops.Axpby(device, softmaxGrad, dl, 1f, beta, n));
                return;
            }
            graph.AccumulateOverwriting(logits, dl => Ops.Binary(device, BinaryOp.Multiply, softmaxGrad, dLoss.Buffer, dl, n, 1, 1));
        });
        return loss;
    }
}
