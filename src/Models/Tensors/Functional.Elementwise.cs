using KernelGen.Models.Kernels;

namespace KernelGen.Models.Tensors;

public static partial class Functional
{
    /// <summary>a + b, elementwise, same shapes (a residual connection).</summary>
    public static Tensor Add(Tensor a, Tensor b, string? layer = null)
    {
        Require(a.Shape.Equals(b.Shape), "Add", layer, $"shapes {a.Shape} and {b.Shape} differ");
        var graph = Graph.Of("Add", a, b);
        var device = graph.Device;
        int n = a.Shape.Count;
        var y = graph.NewTensor(a.Shape, "add", a.RequiresGrad || b.RequiresGrad);
        Ops.Add(device, a.Buffer, b.Buffer, y.Buffer, n);
        graph.Record(y, dy =>
        {
            graph.Accumulate(a, (da, beta) => Ops.Axpby(device, dy.Buffer, da, 1f, beta, n));
            graph.Accumulate(b, (db, beta) => Ops.Axpby(device, dy.Buffer, db, 1f, beta, n));
        });
        return y;
    }

    /// <summary>
    /// x + b with b broadcast over x's leading dimensions: b's shape is x's trailing dimensions (a [time, d] positional
    /// table added to [batch, time, d] embeddings).
    /// </summary>
    public static Tensor AddBroadcast(Tensor x, Tensor b, string? layer = null)
    {
        Require(x.Shape.Count % b.Shape.Count == 0 && EndsWith(x.Shape, b.Shape), "AddBroadcast", layer,
            $"{b.Shape} is not the trailing dimensions of {x.Shape}");
        var graph = Graph.Of("AddBroadcast", x, b);
        var device = graph.Device;
        int n = x.Shape.Count, count = b.Shape.Count;
        var y = graph.NewTensor(x.Shape, "add", x.RequiresGrad || b.RequiresGrad);
        Ops.Binary(device, BinaryOp.Add, x.Buffer, b.Buffer, y.Buffer, n, 1, count);
        graph.Record(y, dy =>
        {
            graph.Accumulate(x, (dx, beta) => Ops.Axpby(device, dy.Buffer, dx, 1f, beta, n));
            graph.Accumulate(b, (db, beta) => Ops.ReduceToBroadcast(device, dy.Buffer, null, db, n, 1, count, beta: beta));
        });
        return y;
    }

    /// <summary>
    /// x + table[t] for x [batch, time, width] and a [maxTime, width] table with time &lt;= maxTime (positional
    /// encodings: a shorter prompt uses the first rows; those past it get no gradient).
    /// </summary>
    public static Tensor AddPositions(Tensor x, Tensor table, string? layer = null)
    {
        Require(x.Shape.Rank == 3 && table.Shape.Rank == 2 && x.Shape[2] == table.Shape[1] && x.Shape[1] <= table.Shape[0],
            "AddPositions", layer, $"input {x.Shape} needs a table of at least [{x.Shape[1]}, {x.Shape[2]}], got {table.Shape}");
        var graph = Graph.Of("AddPositions", x, table);
        var device = graph.Device;
        int n = x.Shape.Count, count = x.Shape[1] * x.Shape[2];
        var y = graph.NewTensor(x.Shape, "add positions", x.RequiresGrad || table.RequiresGrad);
        Ops.Binary(device, BinaryOp.Add, x.Buffer, table.Buffer, y.Buffer, n, 1, count);
        graph.Record(y, dy =>
        {
            graph.Accumulate(x, (dx, beta) => Ops.Axpby(device, dy.Buffer, dx, 1f, beta, n));
            graph.Accumulate(table, (dt, beta) =>
            {
                // The kernel writes the first `count` elements only: clear the rest when this is the first contribution.
                if (beta == 0f && count < table.Shape.Count) device.Clear(dt);
                Ops.ReduceToBroadcast(device, dy.Buffer, null, dt, n, 1, count, beta: count < table.Shape.Count ? 1f : beta);
            });
        });
        return y;
    }

    public static Tensor Relu(Tensor x, string? layer = null) => Activation(x, ActivationKind.Relu, layer);

    public static Tensor Gelu(Tensor x, string? layer = null) => Activation(x, ActivationKind.Gelu, layer);

    public static Tensor Tanh(Tensor x, string? layer = null) => Activation(x, ActivationKind.Tanh, layer);

    /// <summary>y = f(x) elementwise; the backward pass takes f' at the saved input x.</summary>
    public static Tensor Activation(Tensor x, ActivationKind kind, string? layer = null)
    {
        var graph = Graph.Of(kind.ToString(), x);
        var device = graph.Device;
        int n = x.Shape.Count;
        var y = graph.NewTensor(x.Shape, kind.ToString().ToLowerInvariant(), x.RequiresGrad);
        Ops.Activate(device, kind, x.Buffer, y.Buffer, n);
        graph.Record(y, dy => graph.Accumulate(x, (dx, beta) => Ops.ActivationBackward(device, kind, x.Buffer, dy.Buffer, dx, n, beta)));
        return y;
    }

    /// <summary>
    /// Inverted dropout: in training each element is zeroed with probability p and the rest scaled by 1/(1-p); in
    /// evaluation (or p = 0) the identity. The mask is a function of the graph's seed and the call's position in it.
    /// </summary>
    public static Tensor Dropout(Tensor x, float p, string? layer = null)
    {
        var graph = Graph.Of("Dropout", x);
        if (!graph.Training || p == 0f) return x;
        var device = graph.Device;
        int n = x.Shape.Count;
        uint seed = unchecked(graph.Seed * 2654435761u + graph.NextRandomStream() * 97u + 1u);
        var y = graph.NewTensor(x.Shape, "dropout", x.RequiresGrad);
        Ops.Dropout(device, x.Buffer, y.Buffer, n, p, seed);
        graph.Record(y, dy => graph.AccumulateOverwriting(x, dx => Ops.DropoutBackward(device, dy.Buffer, dx, n, p, seed)));
        return y;
    }

    private static bool EndsWith(Shape shape, Shape tail)
    {
        if (tail.Rank > shape.Rank) return false;
        for (int i = 1; i <= tail.Rank; i++)
            if (shape[-i] != tail[-i]) return false;
        return true;
    }
}
