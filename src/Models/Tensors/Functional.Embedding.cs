using KernelGen.Models.Kernels;

namespace KernelGen.Models.Tensors;

public static partial class Functional
{
    /// <summary>Rows of a [vocab, width] table for each id: ids of shape [..] give [.., width].</summary>
    public static Tensor Embedding(IntTensor ids, Tensor table, string? layer = null)
    {
        Require(table.Shape.Rank == 2, "Embedding", layer, $"the table must be [vocab, width], got {table.Shape}");
        int vocab = table.Shape[0], width = table.Shape[1], positions = ids.Shape.Count;
        var graph = ids.Graph;
        var device = graph.Device;
        var y = graph.NewTensor(new Shape([.. ids.Shape.Dims, width]), "embedding", table.RequiresGrad);
        Ops.Embedding(device, table.Buffer, ids.Buffer, y.Buffer, positions, width, vocab);
        graph.Record(y, dy => graph.Accumulate(table, (dt, beta) =>
            Ops.EmbeddingBackward(device, ids.Buffer, dy.Buffer, dt, positions, width, vocab, beta, graph.Pool)));
        return y;
    }
}
