namespace KernelGen.Models.Tests.Kernels;

/// <summary>
/// Finite-difference gradients in float64. A backward kernel is checked on the scalar loss L = sum_i w_i y_i(x), with
/// y the float64 host reference of the forward pass and w random (so the kernel's incoming gradient dy is w): the
/// kernel's dx must match the central differences of L.
/// </summary>
internal static class GradCheck
{
    /// <summary>dL/dx by central differences, step h * max(1, |x_i|).</summary>
    public static double[] Numeric(Func<double[], double> loss, double[] x, double h = 1e-5)
    {
        var gradient = new double[x.Length];
        var probe = (double[])x.Clone();
        for (int i = 0; i < x.Length; i++)
        {
            double step = h * Math.Max(1, Math.Abs(x[i]));
            probe[i] = x[i] + step;
            double plus = loss(probe);
            probe[i] = x[i] - step;
            double minus = loss(probe);
            probe[i] = x[i];
            gradient[i] = (plus - minus) / (2 * step);
        }
        return gradient;
    }

    /// <summary>L = sum_i w_i y_i.</summary>
    public static double Dot(float[] w, double[] y)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += w[i] * y[i];
        return sum;
    }

    public static float[] ToFloat(double[] x) => x.Select(v => (float)v).ToArray();
}
