namespace KernelGen.Models.Optim;

/// <summary>Learning-rate schedules: the rate for a step (counting from 0).</summary>
public static class Schedule
{
    /// <summary>A constant rate.</summary>
    public static Func<int, float> Constant(float rate) => _ => rate;

    /// <summary>
    /// Linear warm-up from 0 to <paramref name="peak"/> over <paramref name="warmupSteps"/>, then a cosine decay to
    /// <paramref name="floor"/> at <paramref name="totalSteps"/> (nanoGPT's schedule); the floor after that.
    /// </summary>
    public static Func<int, float> WarmupCosine(float peak, int warmupSteps, int totalSteps, float floor = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        return step =>
        {
            if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
            if (step >= totalSteps) return floor;
            double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
            return (float)(floor + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (peak - floor));
        };
    }
}
