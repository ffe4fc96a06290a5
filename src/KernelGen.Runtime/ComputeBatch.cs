namespace KernelGen;

/// <summary>
/// Records many dispatches, copies and clears on a <see cref="ComputeDevice"/> and submits them once, as one
/// command buffer. Get one with <see cref="ComputeDevice.BeginBatch(bool)"/>; while it is open, every generated
/// stub's <c>Dispatch</c> (and <see cref="ComputeDevice.Copy{T}(GpuBuffer{T}, GpuBuffer{T})"/>,
/// <see cref="ComputeDevice.Clear(GpuBuffer)"/>) called on that device <em>from the thread that began it</em> records
/// into it instead of submitting. <see cref="Submit"/> or <see cref="Dispose"/> submits; neither waits: waiting stays
/// explicit (<see cref="ComputeDevice.Synchronize"/>, or a read-back, which waits for the work that writes it).
/// </summary>
/// <remarks>
/// <para>Each recorded dispatch keeps its own scalar parameters (a uniform ring with one aligned slot per dispatch).</para>
/// <para>An upload on the thread that owns the open batch is recorded too (its data is copied into staging memory at
/// the call, then copied on the device in order with the dispatches), so it costs no extra submit; only an upload
/// whose byte offset or length is not a multiple of 4 submits what was recorded first. A read-back on that thread
/// first submits what the batch recorded so far (the batch stays open), so program order is kept: a read inside a
/// batch sees the dispatches recorded before it. <see cref="ComputeDevice.Synchronize"/> does the same and then
/// waits.</para>
/// <para>A batch begun while the same thread already has one open on the device joins it: the inner one submits
/// nothing, the outermost does. On the CPU backend a batch runs nothing later (every dispatch runs at once) but counts
/// the dispatches issued while it is open (<see cref="DispatchCount"/>).</para>
/// </remarks>
public class ComputeBatch : IDisposable
{
    private readonly List<DispatchTiming> timings = [];

    internal ComputeBatch(ComputeDevice device, bool timed, ComputeBatch? outer)
    {
        Device = device;
        IsTimed = timed;
        Outer = outer;
        OwnerThreadId = Environment.CurrentManagedThreadId;
    }

    public ComputeDevice Device { get; }

    /// <summary>True until <see cref="Submit"/> or <see cref="Dispose"/>.</summary>
    public bool IsOpen { get; private set; } = true;

    /// <summary>Whether this batch measures each dispatch's GPU time (see <see cref="Timings"/>).</summary>
    public bool IsTimed { get; }

    /// <summary>
    /// Dispatches recorded into this batch so far. On the CPU backend, where each dispatch runs as it is issued, the
    /// dispatches issued on this device from the batch's thread while it was open, so "one training step is N
    /// dispatches" reads the same on both backends. A batch that joined an outer one counts nothing: the outermost counts.
    /// </summary>
    public int DispatchCount { get; internal set; }

    /// <summary>
    /// Times submitted so far: the batch had to submit before <see cref="Submit"/> (a read-back inside it, an
    /// upload of an unaligned byte range, or more dispatches than one submit holds). 1 for an ordinary batch once submitted.
    /// </summary>
    public int SubmitCount { get; internal set; }

    /// <summary>
    /// In a timed batch on a device with timestamp queries (<see cref="ComputeDevice.SupportsGpuTimestamps"/>), the GPU
    /// time of every dispatch, in recording order, complete once the batch is submitted (a timed batch waits for its
    /// work when it submits). Empty otherwise.
    /// </summary>
    public IReadOnlyList<DispatchTiming> Timings => (Outer ?? this).timings;

    /// <summary>The batch this one joined (a batch begun inside another on the same thread), or null.</summary>
    internal ComputeBatch? Outer { get; }

    internal int OwnerThreadId { get; }

    /// <summary>Backend state of an outermost batch (the WebGPU recorder); null on the CPU backend.</summary>
    internal object? State { get; set; }

    internal void AddTiming(DispatchTiming timing) => timings.Add(timing);

    /// <summary>Submits what was recorded (nothing waits) and closes the batch. Later calls do nothing.</summary>
    public void Submit()
    {
        if (!IsOpen) return;
        IsOpen = false;
        if (Outer == null) Device.EndBatch(this);
    }

    /// <summary>
    /// Closes the batch dropping what it recorded since it last submitted (nothing runs). For benchmarks that time
    /// recording alone; internal because work already submitted early (a read-back inside the batch) cannot be undone.
    /// </summary>
    internal void Discard()
    {
        if (!IsOpen) return;
        IsOpen = false;
        if (Outer == null) Device.DiscardBatch(this);
    }

    /// <summary>Same as <see cref="Submit"/>: disposing a batch submits it, even when an exception left the block.</summary>
    public void Dispose()
    {
        Submit();
        GC.SuppressFinalize(this);
    }

    public override string ToString() =>
        $"{(IsTimed ? "timed " : "")}batch of {DispatchCount} dispatches on {Device.Backend}{(IsOpen ? " (open)" : "")}";
}

/// <summary>The GPU time of one dispatch of a timed batch, from the adapter's timestamp queries.</summary>
/// <param name="Kernel">The kernel's name (<see cref="KernelInfo.Name"/>).</param>
/// <param name="Workgroups">The workgroups it ran.</param>
/// <param name="Nanoseconds">From the start to the end of its compute pass, in nanoseconds.</param>
public readonly record struct DispatchTiming(string Kernel, UInt3 Workgroups, long Nanoseconds)
{
    public double Microseconds => Nanoseconds / 1000.0;

    public override string ToString() => $"{Kernel} {Workgroups}: {Microseconds:0.0} µs";
}
