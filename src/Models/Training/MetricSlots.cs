namespace KernelGen.Models.Training;

/// <summary>
/// One small device buffer that a training step writes its reported values into, read back once per step. Each
/// value has its own slot 64 floats apart, because a kernel may only bind a view that starts at a multiple of the
/// device's storage offset alignment (256 bytes on every backend here).
/// </summary>
public sealed class MetricSlots : IDisposable
{
    /// <summary>Floats between slots: 256 bytes.</summary>
    public const int Stride = 64;

    public MetricSlots(ComputeDevice device, int slots)
    {
        Count = slots;
        Buffer = device.CreateBuffer<float>(Stride * (slots - 1) + 1);
    }

    public int Count { get; }

    public GpuBuffer<float> Buffer { get; }

    public GpuBufferView<float> this[int slot] => Buffer.Slice(slot * Stride, 1);

    /// <summary>Reads every slot without blocking a thread (one read-back).</summary>
    public async Task<float[]> ReadAsync(CancellationToken cancellationToken = default)
    {
        var raw = await Buffer.Slice(0, Buffer.Length).ReadAsync(cancellationToken).ConfigureAwait(false);
        var values = new float[Count];
        for (int i = 0; i < Count; i++) values[i] = raw[i * Stride];
        return values;
    }

    public void Dispose() => Buffer.Dispose();
}
