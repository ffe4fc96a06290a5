namespace KernelGen.Models.Tests.Kernels;

/// <summary>
/// Float64 host references of the kernels' forward passes: plain loops a reader can check by eye. The kernels are
/// compared against these, and the backward kernels against central differences of these.
/// </summary>
internal static partial class Reference
{
    public const double GeluScale = 0.7978845608028654; // sqrt(2/pi)

    public static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(GeluScale * (x + 0.044715 * x * x * x)));

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>The activation kinds of the kernels: 0 none, 1 relu, 2 gelu, 3 tanh, 4 sigmoid.</summary>
    public static double Activate(double x, uint kind) => kind switch
    {
        1 => Math.Max(x, 0),
        2 => Gelu(x),
        3 => Math.Tanh(x),
        4 => Sigmoid(x),
        _ => x,
    };

    /// <summary>
    /// C = act(alpha op(A)·op(B) + bias) + beta C_old, batched with strides (0 broadcasts), as the matmul kernels define it.
    /// </summary>
    public static double[] Matmul(float[] a, float[] b, int m, int n, int k, bool transposeA = false, bool transposeB = false,
        int batch = 1, int? strideA = null, int? strideB = null, float[]? bias = null, uint biasMode = 0, uint activation = 0,
        double alpha = 1, double beta = 0, float[]? cOld = null)
    {
        int sa = strideA ?? m * k, sb = strideB ?? k * n;
        var c = new double[batch * m * n];
        for (int z = 0; z < batch; z++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double av = transposeA ? a[z * sa + p * m + i] : a[z * sa + i * k + p];
                        double bv = transposeB ? b[z * sb + j * k + p] : b[z * sb + p * n + j];
                        sum += av * bv;
                    }
                    double value = alpha * sum;
                    if (bias is not null && biasMode == 1) value += bias[j];
                    if (bias is not null && biasMode == 2) value += bias[i];
                    value = Activate(value, activation);
                    int index = (z * m + i) * n + j;
                    if (beta != 0) value += beta * cOld![index];
                    c[index] = value;
                }
        return c;
    }
}

internal static partial class Reference
{
    /// <summary>Softmax (or log-softmax) of scale * x per row, columns past r % period masked when period &gt; 0.</summary>
    public static double[] Softmax(double[] x, int rows, int cols, bool log = false, double scale = 1, int causalPeriod = 0)
    {
        var y = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            int visible = causalPeriod > 0 ? Math.Min(cols, r % causalPeriod + 1) : cols;
            double max = double.NegativeInfinity;
            for (int j = 0; j < visible; j++) max = Math.Max(max, scale * x[r * cols + j]);
            double sum = 0;
            for (int j = 0; j < visible; j++) sum += Math.Exp(scale * x[r * cols + j] - max);
            for (int j = 0; j < cols; j++)
            {
                double shifted = scale * x[r * cols + j] - max - Math.Log(sum);
                y[r * cols + j] = j >= visible ? (log ? double.NegativeInfinity : 0) : log ? shifted : Math.Exp(shifted);
            }
        }
        return y;
    }

    /// <summary>Per-row cross-entropy losses (0 for targets outside [0, cols)).</summary>
    public static double[] CrossEntropy(double[] logits, int[] targets, int rows, int cols)
    {
        var logp = Softmax(logits, rows, cols, log: true);
        return Enumerable.Range(0, rows).Select(r => targets[r] >= 0 && targets[r] < cols ? -logp[r * cols + targets[r]] : 0).ToArray();
    }
}

internal static partial class Reference
{
    /// <summary>Layer norm over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta.</summary>
    public static double[] LayerNorm(double[] x, double[] gamma, double[] beta, int rows, int cols, double epsilon)
    {
        var y = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double mean = 0;
            for (int j = 0; j < cols; j++) mean += x[r * cols + j];
            mean /= cols;
            double variance = 0;
            for (int j = 0; j < cols; j++) variance += (x[r * cols + j] - mean) * (x[r * cols + j] - mean);
            variance /= cols;
            for (int j = 0; j < cols; j++) y[r * cols + j] = (x[r * cols + j] - mean) / Math.Sqrt(variance + epsilon) * gamma[j] + beta[j];
        }
        return y;
    }
}

internal static partial class Reference
{
    /// <summary>Direct 2D cross-correlation over NCHW with zero padding, plus a per-channel bias.</summary>
    public static double[] Conv2d(double[] x, double[] w, double[]? bias, KernelGen.Models.Kernels.Conv2dShape s)
    {
        var y = new double[s.OutputSize];
        for (int n = 0; n < s.Batch; n++)
            for (int co = 0; co < s.OutChannels; co++)
                for (int oy = 0; oy < s.OutH; oy++)
                    for (int ox = 0; ox < s.OutW; ox++)
                    {
                        double sum = bias?[co] ?? 0;
                        for (int ci = 0; ci < s.InChannels; ci++)
                            for (int ky = 0; ky < s.KernelH; ky++)
                                for (int kx = 0; kx < s.KernelW; kx++)
                                {
                                    int iy = oy * s.StrideY - s.PadY + ky, ix = ox * s.StrideX - s.PadX + kx;
                                    if (iy < 0 || iy >= s.Height || ix < 0 || ix >= s.Width) continue;
                                    sum += x[((n * s.InChannels + ci) * s.Height + iy) * s.Width + ix] *
                                           w[((co * s.InChannels + ci) * s.KernelH + ky) * s.KernelW + kx];
                                }
                        y[((n * s.OutChannels + co) * s.OutH + oy) * s.OutW + ox] = sum;
                    }
        return y;
    }

    /// <summary>Max (or average, padding not counted) pooling over NCHW.</summary>
    public static double[] Pool2d(double[] x, KernelGen.Models.Kernels.Pool2dShape s, bool max)
    {
        var y = new double[s.OutputSize];
        for (int plane = 0; plane < s.Planes; plane++)
            for (int oy = 0; oy < s.OutH; oy++)
                for (int ox = 0; ox < s.OutW; ox++)
                {
                    double best = double.NegativeInfinity, sum = 0;
                    int count = 0;
                    for (int ky = 0; ky < s.KernelH; ky++)
                        for (int kx = 0; kx < s.KernelW; kx++)
                        {
                            int iy = oy * s.StrideY - s.PadY + ky, ix = ox * s.StrideX - s.PadX + kx;
                            if (iy < 0 || iy >= s.Height || ix < 0 || ix >= s.Width) continue;
                            double v = x[(plane * s.Height + iy) * s.Width + ix];
                            best = Math.Max(best, v);
                            sum += v;
                            count++;
                        }
                    y[(plane * s.OutH + oy) * s.OutW + ox] = count == 0 ? 0 : max ? best : sum / count;
                }
        return y;
    }
}

internal static partial class Reference
{
    /// <summary>softmax(scale Q K^T, causal: key j &lt;= query i) V per batch-head, over [bh, t, d] tensors.</summary>
    public static double[] Attention(double[] q, double[] k, double[] v, KernelGen.Models.Kernels.AttentionShape s)
    {
        int tq = s.QueryLength, tk = s.KeyLength, d = s.HeadDim;
        double scale = s.Scale ?? 1 / Math.Sqrt(d);
        var o = new double[s.QuerySize];
        var scores = new double[tk];
        for (int b = 0; b < s.BatchHeads; b++)
            for (int i = 0; i < tq; i++)
            {
                int visible = s.Causal ? Math.Min(tk, i + 1) : tk;
                double max = double.NegativeInfinity;
                for (int j = 0; j < visible; j++)
                {
                    double dot = 0;
                    for (int e = 0; e < d; e++) dot += q[(b * tq + i) * d + e] * k[(b * tk + j) * d + e];
                    scores[j] = scale * dot;
                    max = Math.Max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j < visible; j++) sum += scores[j] = Math.Exp(scores[j] - max);
                for (int j = 0; j < visible; j++)
                    for (int e = 0; e < d; e++)
                        o[(b * tq + i) * d + e] += scores[j] / sum * v[(b * tk + j) * d + e];
            }
        return o;
    }
}
