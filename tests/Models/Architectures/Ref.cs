using KernelGen.Models.Nn;

namespace KernelGen.Models.Tests.Architectures;

/// <summary>
/// Plain float64 loops for one example at a time: a sequence is double[time][features], a feature map is
/// double[channels, height, width]. Parameters are read from the model by their dotted names.
/// </summary>
internal sealed class Ref(Module model)
{
    private readonly Dictionary<string, double[]> p =
        model.NamedParameters().ToDictionary(e => e.Name, e => e.Tensor.ToArray().Select(v => (double)v).ToArray());

    public double[] this[string name] => p[name];

    public bool Has(string name) => p.ContainsKey(name);

    /// <summary>y = W x + b for W [out, in] (the layer's "name.weight" and optional "name.bias").</summary>
    public double[] Linear(string name, double[] x)
    {
        var w = p[name + ".weight"];
        p.TryGetValue(name + ".bias", out var b);
        int inF = x.Length, outF = w.Length / inF;
        if (outF * inF != w.Length) throw new InvalidOperationException($"{name}: {w.Length} weights for {inF} inputs");
        var y = new double[outF];
        for (int o = 0; o < outF; o++)
        {
            double s = b?[o] ?? 0;
            for (int i = 0; i < inF; i++) s += w[o * inF + i] * x[i];
            y[o] = s;
        }
        return y;
    }

    public double[][] Linear(string name, double[][] xs) => xs.Select(x => Linear(name, x)).ToArray();

    public double[] LayerNorm(string name, double[] x, double eps = 1e-5)
    {
        double mean = x.Average(), variance = x.Select(v => (v - mean) * (v - mean)).Average();
        double rstd = 1 / Math.Sqrt(variance + eps);
        var g = p[name + ".weight"];
        var b = p[name + ".bias"];
        return x.Select((v, i) => (v - mean) * rstd * g[i] + b[i]).ToArray();
    }

    public double[][] LayerNorm(string name, double[][] xs) => xs.Select(x => LayerNorm(name, x)).ToArray();

    /// <summary>Convolution with "name.weight" [out, in, k, k] and "name.bias".</summary>
    public double[,,] Conv(string name, double[,,] x, int k, int stride, int padding)
    {
        var w = p[name + ".weight"];
        p.TryGetValue(name + ".bias", out var b);
        int cin = x.GetLength(0), h = x.GetLength(1), wd = x.GetLength(2), cout = w.Length / (cin * k * k);
        int oh = (h + 2 * padding - k) / stride + 1, ow = (wd + 2 * padding - k) / stride + 1;
        var y = new double[cout, oh, ow];
        for (int o = 0; o < cout; o++)
            for (int r = 0; r < oh; r++)
                for (int c = 0; c < ow; c++)
                {
                    double s = b?[o] ?? 0;
                    for (int i = 0; i < cin; i++)
                        for (int u = 0; u < k; u++)
                            for (int v = 0; v < k; v++)
                            {
                                int yy = r * stride - padding + u, xx = c * stride - padding + v;
                                if (yy >= 0 && yy < h && xx >= 0 && xx < wd) s += w[((o * cin + i) * k + u) * k + v] * x[i, yy, xx];
                            }
                    y[o, r, c] = s;
                }
        return y;
    }

    public static double[,,] MaxPool(double[,,] x, int size) => Pool(x, size, (a, b) => Math.Max(a, b), double.NegativeInfinity, 1);

    public static double[,,] AvgPool(double[,,] x, int size) => Pool(x, size, (a, b) => a + b, 0, 1.0 / (size * size));

    private static double[,,] Pool(double[,,] x, int size, Func<double, double, double> f, double start, double scale)
    {
        int c = x.GetLength(0), oh = x.GetLength(1) / size, ow = x.GetLength(2) / size;
        var y = new double[c, oh, ow];
        for (int ch = 0; ch < c; ch++)
            for (int r = 0; r < oh; r++)
                for (int col = 0; col < ow; col++)
                {
                    double s = start;
                    for (int u = 0; u < size; u++)
                        for (int v = 0; v < size; v++) s = f(s, x[ch, r * size + u, col * size + v]);
                    y[ch, r, col] = s * scale;
                }
        return y;
    }

    public static double Relu(double x) => Math.Max(0, x);

    /// <summary>The tanh approximation, as the kernel library computes GELU (Activations.cs).</summary>
    public static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    public static double[] Map(double[] x, Func<double, double> f) => x.Select(f).ToArray();

    public static double[][] Map(double[][] x, Func<double, double> f) => x.Select(r => Map(r, f)).ToArray();

    public static double[,,] Map(double[,,] x, Func<double, double> f)
    {
        var y = (double[,,])x.Clone();
        for (int a = 0; a < y.GetLength(0); a++)
            for (int b = 0; b < y.GetLength(1); b++)
                for (int c = 0; c < y.GetLength(2); c++) y[a, b, c] = f(y[a, b, c]);
        return y;
    }

    public static double[,,] Add(double[,,] x, double[,,] y) => Zip(x, y);

    private static double[,,] Zip(double[,,] x, double[,,] y)
    {
        var z = (double[,,])x.Clone();
        for (int a = 0; a < z.GetLength(0); a++)
            for (int b = 0; b < z.GetLength(1); b++)
                for (int c = 0; c < z.GetLength(2); c++) z[a, b, c] += y[a, b, c];
        return z;
    }

    public static double[][] Add(double[][] x, double[][] y) => x.Select((r, i) => r.Select((v, j) => v + y[i][j]).ToArray()).ToArray();

    public static double[] Flatten(double[,,] x) => x.Cast<double>().ToArray();

    /// <summary>[channels, h, w] to [h*w][channels].</summary>
    public static double[][] ChannelsLast(double[,,] x)
    {
        int c = x.GetLength(0), h = x.GetLength(1), w = x.GetLength(2);
        return Enumerable.Range(0, h * w).Select(pos => Enumerable.Range(0, c).Select(ch => x[ch, pos / w, pos % w]).ToArray()).ToArray();
    }

    public static double[,,] ChannelsFirst(double[][] x, int h, int w)
    {
        var y = new double[x[0].Length, h, w];
        for (int pos = 0; pos < h * w; pos++)
            for (int ch = 0; ch < x[0].Length; ch++) y[ch, pos / w, pos % w] = x[pos][ch];
        return y;
    }

    public static double[][] Transpose(double[][] x) =>
        Enumerable.Range(0, x[0].Length).Select(j => x.Select(r => r[j]).ToArray()).ToArray();

    public static double[] Mean(double[][] x) => Enumerable.Range(0, x[0].Length).Select(j => x.Average(r => r[j])).ToArray();

    /// <summary>softmax(q kᵀ / sqrt(d)) v for one head, q [tq][d], k and v [tk][d].</summary>
    public static double[][] Attention(double[][] q, double[][] k, double[][] v, bool causal)
    {
        int d = q[0].Length;
        var o = new double[q.Length][];
        for (int i = 0; i < q.Length; i++)
        {
            int visible = causal ? i + 1 : k.Length;
            var s = new double[visible];
            for (int j = 0; j < visible; j++) s[j] = q[i].Zip(k[j], (a, b) => a * b).Sum() / Math.Sqrt(d);
            double max = s.Max();
            var e = s.Select(x => Math.Exp(x - max)).ToArray();
            double sum = e.Sum();
            o[i] = new double[v[0].Length];
            for (int j = 0; j < visible; j++)
                for (int c = 0; c < o[i].Length; c++) o[i][c] += e[j] / sum * v[j][c];
        }
        return o;
    }

    /// <summary>Multi-head self-attention with "name.query/key/value/output".</summary>
    public double[][] SelfAttention(string name, double[][] x, int heads, bool causal)
    {
        var q = Linear(name + ".query", x);
        var k = Linear(name + ".key", x);
        var v = Linear(name + ".value", x);
        int width = q[0].Length, d = width / heads;
        var merged = x.Select(_ => new double[width]).ToArray();
        for (int h = 0; h < heads; h++)
        {
            double[][] Head(double[][] m) => m.Select(r => r.Skip(h * d).Take(d).ToArray()).ToArray();
            var o = Attention(Head(q), Head(k), Head(v), causal);
            for (int t = 0; t < x.Length; t++) Array.Copy(o[t], 0, merged[t], h * d, d);
        }
        return Linear(name + ".output", merged);
    }

    public double[][] FeedForward(string name, double[][] x) => Linear(name + ".down", Map(Linear(name + ".up", x), Gelu));

    public double[][] TransformerBlock(string name, double[][] x, int heads, bool causal)
    {
        x = Add(x, SelfAttention(name + ".attention", LayerNorm(name + ".norm1", x), heads, causal));
        return Add(x, FeedForward(name + ".mlp", LayerNorm(name + ".norm2", x)));
    }

    /// <summary>One image [c, h, w] of a batch [n, c, h, w].</summary>
    public static double[,,] Image(float[] batch, int index, int c, int h, int w)
    {
        var x = new double[c, h, w];
        for (int ch = 0; ch < c; ch++)
            for (int r = 0; r < h; r++)
                for (int col = 0; col < w; col++) x[ch, r, col] = batch[((index * c + ch) * h + r) * w + col];
        return x;
    }
}
