namespace KernelGen;

/// <summary>Which backend runs the kernels.</summary>
public enum Backend
{
    /// <summary>Dawn's WebGPU implementation on a GPU (or on Mesa's lavapipe when the machine has none).</summary>
    WebGpu,

    /// <summary>The kernel's own C# method, once per invocation: the debugging path and the parity oracle.</summary>
    Cpu,
}

/// <summary>
/// Where kernels run and buffers live. Get one with <see cref="Open"/> (WebGPU when an adapter exists, the CPU
/// backend otherwise), or explicitly with <see cref="OpenWebGpu"/> / <see cref="OpenCpu"/>.
/// </summary>
public abstract partial class ComputeDevice : IDisposable
{
    public abstract Backend Backend { get; }

    /// <summary>One line describing the adapter: name, backend, kind of device.</summary>
    public abstract string Description { get; }

    public GpuBuffer<T> CreateBuffer<T>(int length) where T : unmanaged
    {
        ThrowIfDisposed();
        if (length <= 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, "A buffer needs at least one element.");
        return new GpuBuffer<T>(this, length);
    }

    public GpuBuffer<T> CreateBuffer<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var buffer = CreateBuffer<T>(data.Length);
        buffer.Upload(data);
        return buffer;
    }

    /// <summary>Dispatches a generated kernel on views of buffers. Called by the generated stubs, not by users.</summary>
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)] // an empty [] picks this overload
    public abstract void Dispatch(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<byte> uniforms);

    /// <summary><see cref="Dispatch(KernelInfo, Grid, ReadOnlySpan{GpuBufferView}, ReadOnlySpan{byte})"/> after <see cref="KernelLaunch.Validate(KernelInfo, ComputeDevice, Grid, ReadOnlySpan{GpuBufferView})"/> passed: a backend may skip what it checked.</summary>
    internal virtual void DispatchValidated(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<byte> uniforms) =>
        Dispatch(kernel, grid, buffers, uniforms);

    /// <summary>Dispatches a generated kernel, each buffer bound whole.</summary>
    public void Dispatch(KernelInfo kernel, Grid grid, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms)
    {
        EightViews room = default;
        Dispatch(kernel, grid, EightViews.Of(buffers, room), uniforms);
    }

    /// <summary>Blocks until every dispatch so far has finished.</summary>
    public abstract void Synchronize();

    internal abstract object Allocate<T>(GpuBuffer<T> buffer) where T : unmanaged;

    internal abstract void Release(GpuBuffer buffer);

    internal abstract void Write(GpuBuffer buffer, int byteOffset, ReadOnlySpan<byte> data);

    internal abstract void ReadBack(GpuBuffer buffer, int byteOffset, Span<byte> destination);

    public bool IsDisposed { get; private set; }

    protected void ThrowIfDisposed()
    {
        if (IsDisposed) throw new ObjectDisposedException(Description, "This device was disposed.");
    }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    protected abstract void DisposeCore();

    public override string ToString() => Description;

    /// <summary>The CPU backend: runs each kernel's C# method once per invocation.</summary>
    public static ComputeDevice OpenCpu(CpuOptions? options = null) => new Cpu.CpuDevice(options ?? new CpuOptions());

    /// <summary>A WebGPU device; throws <see cref="WebGpuUnavailableException"/> naming what to install when none exists.</summary>
    public static ComputeDevice OpenWebGpu(WebGpuOptions? options = null) => WebGpu.WebGpuDevice.Create(options ?? WebGpuOptions.FromEnvironment());

    /// <summary>
    /// WebGPU when an adapter exists; otherwise says so once on standard error (what is missing, what to install)
    /// and returns the CPU backend. <c>KERNELGEN_BACKEND=cpu</c> forces the CPU backend, <c>webgpu</c> requires
    /// WebGPU (throws where there is none), <c>auto</c> or unset is the default; any other value is an error that says so.
    /// </summary>
    public static ComputeDevice Open(TextWriter? log = null)
    {
        log ??= Console.Error;
        string? backend = Environment.GetEnvironmentVariable("KERNELGEN_BACKEND");
        if (string.Equals(backend, "cpu", StringComparison.OrdinalIgnoreCase)) return OpenCpu();
        if (string.Equals(backend, "webgpu", StringComparison.OrdinalIgnoreCase)) return OpenWebGpu();
        if (!string.IsNullOrEmpty(backend) && !string.Equals(backend, "auto", StringComparison.OrdinalIgnoreCase))
            throw new KernelGenConfigurationException($"KERNELGEN_BACKEND is '{backend}'; it must be cpu, webgpu or auto (or unset).");
        try
        {
            return OpenWebGpu();
        }
        catch (WebGpuUnavailableException e)
        {
            log.WriteLine($"KernelGen: no WebGPU adapter, using the CPU backend. {e.Message}");
            return OpenCpu();
        }
    }
}
