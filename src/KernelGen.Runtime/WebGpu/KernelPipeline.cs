using System.Runtime.InteropServices;
using System.Text;
using KernelGen.Native;

namespace KernelGen.WebGpu;

/// <summary>
/// One kernel's compiled state on one device: shader module, an explicit bind group layout (bindings 0..n-1 the
/// buffers, binding n the uniform block when the kernel has scalar parameters, bound with a dynamic offset into the
/// device's uniform ring so every dispatch of a batch has its own slot), the compute pipeline and the bind groups of
/// the buffer sets it ran with most recently.
/// </summary>
internal sealed unsafe class KernelPipeline : IDisposable
{
    /// <summary>Bind groups kept per kernel: training loops cycle through a handful of buffer sets.</summary>
    private const int BindGroupCacheSize = 8;

    private readonly nint module;
    private readonly nint bindGroupLayout;
    private readonly nint pipelineLayout;
    /// <summary>
    /// Most recently used first. Keyed by native handles and the bound ranges (views of one buffer get bind groups of
    /// their own): a released buffer's bind groups go with it (<see cref="Forget"/>).
    /// </summary>
    private readonly List<(BufferBinding[] Buffers, nint BindGroup)> bindGroups = [];
    /// <summary>The first entry of <see cref="bindGroups"/> (null when empty), checked first by every dispatch.</summary>
    private BufferBinding[]? firstBuffers;
    private nint firstBindGroup;
    private bool disposed;
    /// <summary>
    /// The views of the last dispatch that passed every check, by native storage rather than by buffer (a cache
    /// must not keep a buffer from being finalized), and its bind group (0: none). See <see cref="TryLastBindGroup"/>.
    /// </summary>
    private readonly LastView[] last;
    private nint lastBindGroup;
    /// <summary>The last launch size and its workgroups (launches repeat; the limit was checked when they were computed).</summary>
    private Grid lastGrid;
    private UInt3 lastGroups;
    /// <summary>Per storage binding, whether the WGSL declares it read-only (an array: read on every dispatch).</summary>
    private readonly bool[] readOnly;

    private KernelPipeline(KernelInfo kernel, nint module, nint bindGroupLayout, nint pipelineLayout, nint pipeline,
        uint uniformAlignment)
    {
        this.module = module;
        this.bindGroupLayout = bindGroupLayout;
        this.pipelineLayout = pipelineLayout;
        Pipeline = pipeline;
        Kernel = kernel;
        Bindings = KernelBindings.For(kernel);
        readOnly = kernel.Buffers.Select(access => access == BufferAccess.ReadOnly).ToArray();
        last = new LastView[readOnly.Length];
        UniformBindingSize = UniformBlockSize(kernel);
        UniformSlotSize = UniformBindingSize == 0 ? 0 : (int)((UniformBindingSize + uniformAlignment - 1) / uniformAlignment * uniformAlignment);
    }

    public nint Pipeline { get; }

    public KernelInfo Kernel { get; }

    /// <summary>The device that made it: <see cref="KernelInfo.PipelineCache"/> is only used by that device.</summary>
    public object? Owner { get; set; }

    /// <summary>What the WGSL declares for each storage binding (element strides), for the checks before a dispatch.</summary>
    public KernelBindings Bindings { get; }

    /// <summary>Bytes bound for the uniform block: its size rounded up to 16 (WGSL's uniform struct alignment); 0 when none.</summary>
    public int UniformBindingSize { get; }

    /// <summary>Bytes one dispatch takes in the uniform ring: the binding size rounded up to minUniformBufferOffsetAlignment.</summary>
    public int UniformSlotSize { get; }

    private static int UniformBlockSize(KernelInfo kernel) => kernel.UniformSize <= 0 ? 0 : (kernel.UniformSize + 15) / 16 * 16;

    public static KernelPipeline Create(nint device, FutureWaiter waiter, DeviceErrorSink sink, KernelInfo kernel, uint uniformAlignment)
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
        var result = new KernelPipeline(kernel, module, layout, pipelineLayout, pipeline, uniformAlignment);
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
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>
    /// The bind group of the last dispatch when <paramref name="views"/> are exactly its views (same buffers, offsets
    /// and lengths) and every buffer is still alive. Then nothing else needs checking again: a buffer's device, length
    /// and element size never change, so its device, range, aliasing and stride checks give what they gave then.
    /// </summary>
    public bool TryLastBindGroup(ReadOnlySpan<GpuBufferView> views, out nint bindGroup)
    {
        bindGroup = lastBindGroup;
        var entries = last;
        if (bindGroup == 0 || views.Length != entries.Length) return false;
        for (int i = 0; i < views.Length; i++)
        {
            var view = views[i];
            ref readonly var entry = ref entries[i];
            if (view.Buffer is not { IsDisposed: false } buffer || !ReferenceEquals(buffer.Storage, entry.Storage) || entry.Storage!.IsReleased
                || view.Offset != entry.Offset || view.Length != entry.Length)
                return false;
        }
        return true;
    }

    /// <summary>Remembers the views of a dispatch that passed every check, and its bind group.</summary>
    public void RememberLast(ReadOnlySpan<GpuBufferView> views, nint bindGroup, bool stridesChecked)
    {
        if (views.Length != last.Length) return;
        for (int i = 0; i < views.Length; i++)
            last[i] = new LastView((NativeBuffer)views[i].Buffer!.Storage, views[i].Offset, views[i].Length);
        lastBindGroup = bindGroup;
        LastStridesChecked = stridesChecked;
    }

    /// <summary>
    /// Whether the device checked the last views' strides itself. A dispatch through <see cref="KernelLaunch.Dispatch"/>
    /// leaves that to the stub's <c>Validate</c>, which the device takes on trust for that call only: a later
    /// <see cref="ComputeDevice.Dispatch(KernelInfo, Grid, ReadOnlySpan{GpuBufferView}, ReadOnlySpan{byte})"/> with the
    /// same views still checks them once.
    /// </summary>
    public bool LastStridesChecked { get; set; }

    /// <summary>
    /// <see cref="ComputeDevice.WorkgroupsFor"/> of this kernel, remembered for the next launch of the same size (the
    /// device's limit does not change). Under the device's lock.
    /// </summary>
    public UInt3 WorkgroupsFor(Grid grid, ComputeDevice device)
    {
        if (grid == lastGrid && lastGroups.X != 0) return lastGroups;
        var groups = device.WorkgroupsFor(Kernel, grid);
        (lastGrid, lastGroups) = (grid, groups);
        return groups;
    }

    private readonly record struct LastView(NativeBuffer? Storage, int Offset, int Length);

    /// <summary>
    /// A buffer bound twice in one dispatch, once writable (also through two views, overlapping or not): WebGPU
    /// refuses that (its usage rules are per buffer).
    /// </summary>
    public void CheckAliasing(ReadOnlySpan<BufferBinding> bindings, ReadOnlySpan<GpuBufferView> buffers)
    {
        for (int i = 1; i < bindings.Length; i++)
        for (int j = 0; j < i; j++)
        {
            if (bindings[i].Handle != bindings[j].Handle || (readOnly[i] && readOnly[j])) continue;
            throw new KernelLaunchException(
                $"{Kernel.Name}: {buffers[i]} is bound to bindings {j} and {i}, and at least one of them is read-write; " +
                "WebGPU does not allow a writable buffer to alias another binding, even through views of separate ranges. " +
                "Pass a copy (ComputeDevice.Copy) or a separate buffer instead.");
        }
    }

    /// <summary>
    /// A bind group for this set of buffers (plus the device's uniform ring at a dynamic offset), reused when the
    /// same set comes back; the most recently used set stays first.
    /// </summary>
    public nint BindGroupFor(nint device, ReadOnlySpan<BufferBinding> buffers, nint uniformRing)
    {
        // The usual case, the same buffers as last time: the first entry, kept in fields of its own.
        if (SameBuffers(buffers, firstBuffers)) return firstBindGroup;
        for (int i = 1; i < bindGroups.Count; i++)
        {
            if (!SameBuffers(buffers, bindGroups[i].Buffers)) continue;
            var hit = bindGroups[i];
            bindGroups.RemoveAt(i);
            bindGroups.Insert(0, hit);
            (firstBuffers, firstBindGroup) = hit;
            return hit.BindGroup;
        }
        var bindGroup = CreateBindGroup(device, buffers, uniformRing);
        if (bindGroups.Count == BindGroupCacheSize)
        {
            if (bindGroups[^1].BindGroup == lastBindGroup) ForgetLast();
            WebGpuNative.BindGroupRelease(bindGroups[^1].BindGroup);
            bindGroups.RemoveAt(bindGroups.Count - 1);
        }
        bindGroups.Insert(0, (buffers.ToArray(), bindGroup));
        (firstBuffers, firstBindGroup) = bindGroups[0];
        return bindGroup;
    }

    /// <summary>Bindings are three plain words each, so equal sets are equal bytes: one vectorized compare.</summary>
    private static bool SameBuffers(ReadOnlySpan<BufferBinding> buffers, BufferBinding[]? cached) =>
        cached is not null && MemoryMarshal.AsBytes(buffers).SequenceEqual(MemoryMarshal.AsBytes(cached.AsSpan()));

    /// <summary>Releases the cached bind groups that bind <paramref name="buffer"/> (it is being released).</summary>
    public void Forget(nint buffer)
    {
        for (int i = bindGroups.Count - 1; i >= 0; i--)
        {
            if (!Binds(bindGroups[i].Buffers, buffer)) continue;
            if (bindGroups[i].BindGroup == lastBindGroup) ForgetLast();
            WebGpuNative.BindGroupRelease(bindGroups[i].BindGroup);
            bindGroups.RemoveAt(i);
        }
        (firstBuffers, firstBindGroup) = bindGroups.Count > 0 ? bindGroups[0] : (null, 0);
    }

    /// <summary>Drops the last dispatch's views (its bind group may be released): the next dispatch checks in full.</summary>
    private void ForgetLast()
    {
        lastBindGroup = 0;
        Array.Clear(last);
    }

    private static bool Binds(BufferBinding[] bindings, nint buffer)
    {
        foreach (var binding in bindings)
            if (binding.Handle == buffer) return true;
        return false;
    }

    /// <summary>Bind groups cached now (tests check that released buffers leave none behind).</summary>
    internal int CachedBindGroups => bindGroups.Count;

    private nint CreateBindGroup(nint device, ReadOnlySpan<BufferBinding> buffers, nint uniformRing)
    {
        bool uniforms = UniformBindingSize > 0;
        int count = buffers.Length + (uniforms ? 1 : 0);
        var entries = stackalloc BindGroupEntry[Math.Max(count, 1)];
        for (int i = 0; i < buffers.Length; i++)
            entries[i] = new BindGroupEntry { Binding = (uint)i, Buffer = buffers[i].Handle, Offset = buffers[i].Offset, Size = buffers[i].Size };
        if (uniforms)
            entries[buffers.Length] = new BindGroupEntry { Binding = (uint)buffers.Length, Buffer = uniformRing, Size = (ulong)UniformBindingSize };
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
        {
            // A dynamic offset: each dispatch of a batch reads its own slot of the device's uniform ring.
            entries[buffers] = LayoutEntry(buffers, BufferBindingType.Uniform);
            entries[buffers].Buffer.HasDynamicOffset = 1;
            entries[buffers].Buffer.MinBindingSize = (ulong)UniformBlockSize(kernel);
        }
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

    private static string? PopErrorScope(nint device, FutureWaiter waiter, KernelInfo kernel)
    {
        using var request = new NativeRequest();
        var future = WebGpuNative.DevicePopErrorScope(device, request.CallbackInfo(NativeCallbacks.PopErrorScope));
        waiter.Wait(future, request, $"{kernel.Name}: checking its pipeline for errors");
        if ((RequestStatus)request.Status != RequestStatus.Success) return $"the error scope could not be read ({request.Message})";
        return request.ErrorType is ErrorType.NoError or 0 ? null : $"{DeviceErrorSink.Describe(request.ErrorType)}: {request.Message}";
    }

    public override string ToString() => Kernel.Name;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var (_, bindGroup) in bindGroups) WebGpuNative.BindGroupRelease(bindGroup);
        bindGroups.Clear();
        (firstBuffers, firstBindGroup) = (null, 0);
        ForgetLast();
        if (Pipeline != 0) WebGpuNative.ComputePipelineRelease(Pipeline);
        if (pipelineLayout != 0) WebGpuNative.PipelineLayoutRelease(pipelineLayout);
        if (bindGroupLayout != 0) WebGpuNative.BindGroupLayoutRelease(bindGroupLayout);
        if (module != 0) WebGpuNative.ShaderModuleRelease(module);
    }
}

/// <summary>One storage binding of a dispatch: the native buffer and the bound byte range (Size = WholeSize: all of it).</summary>
internal readonly struct BufferBinding(nint handle, ulong offset, ulong size) : IEquatable<BufferBinding>
{
    public nint Handle { get; } = handle;

    public ulong Offset { get; } = offset;

    public ulong Size { get; } = size;

    public static BufferBinding Whole(nint handle) => new(handle, 0, BindGroupEntry.WholeSize);

    public bool Equals(BufferBinding other) => Handle == other.Handle && Offset == other.Offset && Size == other.Size;

    public override bool Equals(object? obj) => obj is BufferBinding other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Handle, Offset, Size);
}

/// <summary>Room on the stack for the bindings of a dispatch (kernels with more get an array).</summary>
[System.Runtime.CompilerServices.InlineArray(Count)]
internal struct EightBindings
{
    public const int Count = 8;

    private BufferBinding first;
}
