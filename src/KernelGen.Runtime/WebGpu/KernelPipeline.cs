using System.Text;
using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// One kernel's compiled state on one device: shader module, an explicit bind group layout (bindings 0..n-1 the
/// buffers, binding n the uniform block when the kernel has scalar parameters), the compute pipeline, its uniform
/// buffer and the bind groups of the buffer sets it ran with most recently.
/// </summary>
internal sealed unsafe class KernelPipeline : IDisposable
{
    /// <summary>Bind groups kept per kernel: training loops cycle through a handful of buffer sets.</summary>
    private const int BindGroupCacheSize = 8;

    private readonly KernelInfo kernel;
    private readonly nint module;
    private readonly nint bindGroupLayout;
    private readonly nint pipelineLayout;
    private readonly List<(NativeBuffer[] Buffers, nint BindGroup)> bindGroups = [];
    private bool disposed;

    private KernelPipeline(KernelInfo kernel, nint module, nint bindGroupLayout, nint pipelineLayout, nint pipeline)
    {
        this.kernel = kernel;
        this.module = module;
        this.bindGroupLayout = bindGroupLayout;
        this.pipelineLayout = pipelineLayout;
        Pipeline = pipeline;
    }

    public nint Pipeline { get; }

    /// <summary>
    /// The uniform block's buffer, or 0. One per kernel is enough: queue writes and submits run in order, so each
    /// dispatch sees the bytes written just before it even while earlier dispatches are still queued.
    /// </summary>
    public nint UniformBuffer { get; private set; }

    public static KernelPipeline Create(nint device, FutureWaiter waiter, DeviceErrorSink sink, KernelInfo kernel)
    {
        nint module = 0, layout = 0, pipelineLayout = 0, pipeline = 0;
        List<ShaderMessage> messages = [];
        string? scopeError;
        // An error scope gives the message of exactly these calls, instead of the uncaptured-error callback.
        WebGpuNative.DevicePushErrorScope(device, ErrorFilter.Validation);
        try
        {
            module = ShaderModules.Create(device, kernel);
            messages = ShaderModules.CompilationMessages(module, waiter, kernel);
            layout = CreateBindGroupLayout(device, kernel);
            pipelineLayout = CreatePipelineLayout(device, layout);
            pipeline = CreatePipeline(device, kernel, module, pipelineLayout);
        }
        finally
        {
            scopeError = PopErrorScope(device, waiter, kernel);
        }
        var result = new KernelPipeline(kernel, module, layout, pipelineLayout, pipeline);
        var errors = messages.Where(m => m.Type == CompilationMessageType.Error).ToList();
        if (errors.Count > 0 || scopeError != null || pipeline == 0)
        {
            result.Dispose();
            if (errors.Count > 0) throw new WebGpuException(ShaderModules.DescribeErrors(kernel, errors));
            throw new WebGpuException($"{kernel.Name}: Dawn rejected its compute pipeline: {scopeError ?? "no pipeline was returned"}");
        }
        try
        {
            sink.ThrowIfFailed($"{kernel.Name}: creating its compute pipeline");
            if (kernel.UniformSize > 0) result.UniformBuffer = CreateUniformBuffer(device, sink, kernel);
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>A bind group for this set of buffers (plus the uniform buffer), reused when the same set comes back.</summary>
    public nint BindGroupFor(nint device, ReadOnlySpan<NativeBuffer> buffers)
    {
        for (int i = 0; i < bindGroups.Count; i++)
        {
            if (!buffers.SequenceEqual(bindGroups[i].Buffers)) continue; // NativeBuffer compares by reference
            var hit = bindGroups[i];
            bindGroups.RemoveAt(i);
            bindGroups.Insert(0, hit);
            return hit.BindGroup;
        }
        var bindGroup = CreateBindGroup(device, buffers);
        if (bindGroups.Count == BindGroupCacheSize)
        {
            WebGpuNative.BindGroupRelease(bindGroups[^1].BindGroup);
            bindGroups.RemoveAt(bindGroups.Count - 1);
        }
        bindGroups.Insert(0, (buffers.ToArray(), bindGroup));
        return bindGroup;
    }

    private nint CreateBindGroup(nint device, ReadOnlySpan<NativeBuffer> buffers)
    {
        int count = buffers.Length + (UniformBuffer != 0 ? 1 : 0);
        var entries = stackalloc BindGroupEntry[Math.Max(count, 1)];
        for (int i = 0; i < buffers.Length; i++)
            entries[i] = new BindGroupEntry { Binding = (uint)i, Buffer = buffers[i].Handle, Size = BindGroupEntry.WholeSize };
        if (UniformBuffer != 0)
            entries[buffers.Length] = new BindGroupEntry { Binding = (uint)buffers.Length, Buffer = UniformBuffer, Size = BindGroupEntry.WholeSize };
        var descriptor = new BindGroupDescriptor
        {
            Label = StringView.Null,
            Layout = bindGroupLayout,
            EntryCount = (nuint)count,
            Entries = entries,
        };
        return WebGpuNative.DeviceCreateBindGroup(device, &descriptor);
    }

    private static nint CreateBindGroupLayout(nint device, KernelInfo kernel)
    {
        int buffers = kernel.Buffers.Count;
        int count = buffers + (kernel.UniformSize > 0 ? 1 : 0);
        var entries = new BindGroupLayoutEntry[count];
        for (int i = 0; i < buffers; i++)
            entries[i] = LayoutEntry(i, kernel.Buffers[i] == BufferAccess.ReadOnly ? BufferBindingType.ReadOnlyStorage : BufferBindingType.Storage);
        if (kernel.UniformSize > 0)
            entries[buffers] = LayoutEntry(buffers, BufferBindingType.Uniform);
        fixed (BindGroupLayoutEntry* entriesPtr = entries)
        {
            var descriptor = new BindGroupLayoutDescriptor { Label = StringView.Null, EntryCount = (nuint)count, Entries = entriesPtr };
            return WebGpuNative.DeviceCreateBindGroupLayout(device, &descriptor);
        }
    }

    private static BindGroupLayoutEntry LayoutEntry(int binding, BufferBindingType type) => new()
    {
        Binding = (uint)binding,
        Visibility = ShaderStage.Compute,
        Buffer = { Type = type },
    };

    private static nint CreatePipelineLayout(nint device, nint bindGroupLayout)
    {
        var descriptor = new PipelineLayoutDescriptor
        {
            Label = StringView.Null,
            BindGroupLayoutCount = 1,
            BindGroupLayouts = &bindGroupLayout,
        };
        return WebGpuNative.DeviceCreatePipelineLayout(device, &descriptor);
    }

    private static nint CreatePipeline(nint device, KernelInfo kernel, nint module, nint pipelineLayout)
    {
        var label = Encoding.UTF8.GetBytes(kernel.Name);
        fixed (byte* labelPtr = label)
        fixed (byte* entryPoint = "main"u8)
        {
            var descriptor = new ComputePipelineDescriptor
            {
                Label = StringView.Of(labelPtr, label.Length),
                Layout = pipelineLayout,
                Compute = { Module = module, EntryPoint = StringView.Of(entryPoint, 4) },
            };
            return WebGpuNative.DeviceCreateComputePipeline(device, &descriptor);
        }
    }

    private static nint CreateUniformBuffer(nint device, DeviceErrorSink sink, KernelInfo kernel)
    {
        // Uniform blocks are laid out in 16-byte units; a whole number of them always covers the WGSL struct.
        var descriptor = new BufferDescriptor
        {
            Label = StringView.Null,
            Usage = BufferUsage.Uniform | BufferUsage.CopyDst,
            Size = (ulong)(kernel.UniformSize + 15) / 16 * 16,
        };
        var buffer = WebGpuNative.DeviceCreateBuffer(device, &descriptor);
        sink.ThrowIfFailed($"{kernel.Name}: creating its {descriptor.Size}-byte uniform buffer");
        return buffer;
    }

    private static string? PopErrorScope(nint device, FutureWaiter waiter, KernelInfo kernel)
    {
        using var request = new NativeRequest();
        var future = WebGpuNative.DevicePopErrorScope(device, request.CallbackInfo(NativeCallbacks.PopErrorScope));
        waiter.Wait(future, request, $"{kernel.Name}: checking its pipeline for errors");
        if ((RequestStatus)request.Status != RequestStatus.Success) return $"the error scope could not be read ({request.Message})";
        return request.ErrorType is ErrorType.NoError or 0 ? null : $"{DeviceErrorSink.Describe(request.ErrorType)}: {request.Message}";
    }

    public override string ToString() => kernel.Name;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var (_, bindGroup) in bindGroups) WebGpuNative.BindGroupRelease(bindGroup);
        bindGroups.Clear();
        if (UniformBuffer != 0)
        {
            WebGpuNative.BufferDestroy(UniformBuffer);
            WebGpuNative.BufferRelease(UniformBuffer);
            UniformBuffer = 0;
        }
        if (Pipeline != 0) WebGpuNative.ComputePipelineRelease(Pipeline);
        if (pipelineLayout != 0) WebGpuNative.PipelineLayoutRelease(pipelineLayout);
        if (bindGroupLayout != 0) WebGpuNative.BindGroupLayoutRelease(bindGroupLayout);
        if (module != 0) WebGpuNative.ShaderModuleRelease(module);
    }
}
