using KernelGen.Models.Tensors;
using Xunit;
using static KernelGen.Models.Tensors.Functional;

namespace KernelGen.Models.Tests.Nn;

/// <summary>
/// Checks the gradients a <see cref="Graph"/> back-propagates against central differences of the same loss, on the
/// CPU backend. The loss is evaluated in float32 (the library has no float64 path), so the step must be large enough
/// that the loss's rounding (~1e-7 relative, amplified by 1/2h) stays far below the gradient, and small enough that
/// the O(h^2) truncation error is too: h = 1e-2 (3e-3 near kinks) with tolerance |a - n| &lt;= 2e-2 * max(|a|, |n|)
/// + 5e-4 (the absolute part covers gradients that are ~0, whose difference quotient is pure rounding noise).
/// </summary>
internal static class NumericGrad
{
    public static readonly ComputeDevice CpuDevice = ComputeDevice.OpenCpu();

    public const double RelativeTolerance = 2e-2, AbsoluteTolerance = 5e-4;

    /// <summary>A parameter of random values in [-scale, scale].</summary>
    public static Tensor Param(Shape shape, int seed, string name, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[shape.Count];
        for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return Tensor.Parameter(CpuDevice, shape, values, name);
    }

    /// <summary>The parameter as a tensor of the graph (0 + p), so operations that need a graph operand can take it.</summary>
    public static Tensor Lift(Graph graph, Tensor parameter) => Add(graph.Input(new float[parameter.Shape.Count], parameter.Shape), parameter);

    /// <summary>Fixed random targets for <paramref name="rows"/> rows of <paramref name="classes"/> logits.</summary>
    public static IntTensor Targets(Graph graph, int rows, int classes, int seed = 7)
    {
        var random = new Random(seed);
        var targets = new int[rows];
        for (int i = 0; i < rows; i++) targets[i] = random.Next(classes);
        return graph.Indices(targets, new Shape(rows), classes);
    }

    /// <summary>Mean cross-entropy of any tensor seen as [rows, last] against fixed random targets.</summary>
    public static Tensor Loss(Tensor output, int seed = 7)
    {
        var graph = output.Graph!;
        var logits = output.Shape.Rank == 2 ? output : Reshape(output, new Shape(output.Shape.Rows, output.Shape.Last));
        return CrossEntropy(logits, Targets(graph, logits.Shape[0], logits.Shape[1], seed));
    }

    /// <summary>
    /// Runs <paramref name="loss"/> with gradients, then compares every parameter's gradient with central differences
    /// (all elements when <paramref name="sample"/> is null, else that many random ones per parameter).
    /// </summary>
    public static void Check(IReadOnlyList<Tensor> parameters, Func<Graph, Tensor> loss, double h = 1e-2, int? sample = null,
        bool training = true, uint seed = 5)
    {
        using var pool = new BufferPool(CpuDevice);
        foreach (var p in parameters) p.ZeroGrad();
        var analytic = new List<float[]>();
        using (var graph = new Graph(pool) { Training = training, Seed = seed })
        {
            var l = loss(graph);
            Assert.Equal(1, l.Shape.Count);
            l.Backward();
            foreach (var p in parameters)
            {
                Assert.True(p.HasGrad, $"{p.Name} received no gradient");
                analytic.Add(p.Grad!.ToArray());
            }
        }
        float Evaluate()
        {
            using var graph = new Graph(pool, recordGradients: false) { Training = training, Seed = seed };
            return loss(graph).ToArray()[0];
        }
        var random = new Random(11);
        for (int pi = 0; pi < parameters.Count; pi++)
        {
            var p = parameters[pi];
            var values = p.ToArray();
            var indices = sample is int s && s < values.Length
                ? Enumerable.Range(0, s).Select(_ => random.Next(values.Length)).Distinct().ToArray()
                : Enumerable.Range(0, values.Length).ToArray();
            foreach (int i in indices)
            {
                float original = values[i];
                values[i] = original + (float)h;
                p.Load(values);
                double plus = Evaluate();
                values[i] = original - (float)h;
                p.Load(values);
                double minus = Evaluate();
                values[i] = original;
                p.Load(values);
                double numeric = (plus - minus) / (2 * h), a = analytic[pi][i];
                double error = Math.Abs(a - numeric);
                Assert.True(error <= RelativeTolerance * Math.Max(Math.Abs(a), Math.Abs(numeric)) + AbsoluteTolerance,
                    $"{p.Name}[{i}]: backward gives {a:G6}, central difference {numeric:G6}");
            }
        }
    }

    /// <summary>Sets every parameter of a module to random values (so zero-initialised layers take part).</summary>
    public static void Randomize(IEnumerable<Tensor> parameters, int seed, float scale = 0.5f)
    {
        var random = new Random(seed);
        foreach (var p in parameters)
        {
            var values = new float[p.Shape.Count];
            for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
            p.Load(values);
        }
    }
}
