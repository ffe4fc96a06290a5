using System.Runtime.InteropServices;

namespace KernelGen;

/// <summary>
/// What the generated stubs call: the checks before every dispatch (a bad launch fails with a clear exception and
/// nothing reaches the device), the uniform block's packing, and the dispatch itself. Public because generated code
/// in user assemblies calls it; keeping this code here rather than in every stub keeps stubs cheap to compile.
/// </summary>
public static class KernelLaunch
{
    /// <summary>WebGPU's default <c>maxComputeWorkgroupsPerDimension</c>.</summary>
    public const uint MaxWorkgroupsPerDimension = 65535;

    /// <summary>
    /// Checks a launch (device, buffers and views, element strides, workgroup count) and returns the device as a
    /// <see cref="Cpu.CpuDevice"/> when it is the CPU backend (the stub then runs the C# method), null otherwise.
    /// </summary>
    public static Cpu.CpuDevice? Validate(KernelInfo kernel, ComputeDevice device, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<string> names)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.IsDisposed)
            throw new KernelLaunchException($"{kernel.Name}: the device was disposed.");
        if (buffers.Length != BufferCount(kernel))
            throw new KernelLaunchException($"{kernel.Name}: got {buffers.Length} buffers, the kernel binds {kernel.Buffers.Count}.");
        for (int i = 0; i < buffers.Length; i++)
        {
            var buffer = buffers[i].Buffer;
            if (buffer is null || buffer.IsDisposed || !ReferenceEquals(buffer.Device, device) || !buffers[i].IsWhole)
                CheckBinding(kernel, device, buffers[i], names, i);
        }
        // Element sizes against the WGSL's array strides, then the device's workgroup limit.
        KernelBindings.For(kernel).Check(kernel, buffers, names);
        device.WorkgroupsFor(kernel, grid);
        return device as Cpu.CpuDevice;
    }

    /// <summary>The kernel's buffer count: an array's length when it is one (as always), not an interface call per launch.</summary>
    internal static int BufferCount(KernelInfo kernel) => kernel.Buffers is BufferAccess[] access ? access.Length : kernel.Buffers.Count;

    /// <summary>The checks of a generated stub: as above, the buffers named as in <see cref="KernelInfo.BufferNames"/>.</summary>
    public static Cpu.CpuDevice? Validate(KernelInfo kernel, ComputeDevice device, Grid grid, ReadOnlySpan<GpuBufferView> buffers) =>
        Validate(kernel, device, grid, buffers, []);

    /// <summary>The same checks for plain buffers (each bound whole).</summary>
    public static void Validate(KernelInfo kernel, ComputeDevice device, Grid grid, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<string> names)
    {
        EightViews room = default;
        Validate(kernel, device, grid, EightViews.Of(buffers, room), names);
    }

    /// <summary>
    /// What a generated stub calls: every check of <see cref="Validate(KernelInfo, ComputeDevice, Grid, ReadOnlySpan{GpuBufferView})"/>
    /// and, on WebGPU, the dispatch (recorded in the calling thread's open batch, or submitted). Returns the device as
    /// a <see cref="Cpu.CpuDevice"/> when it is the CPU backend, with nothing dispatched: the stub then runs the C#
    /// method. One call rather than <c>Validate</c> then <c>Dispatch</c>: on WebGPU the checks and the dispatch run
    /// under the device's lock together, so a launch that repeats the kernel's previous one (the same views and
    /// grid) checks only what can have changed since: the device and each buffer still alive.
    /// </summary>
    public static Cpu.CpuDevice? Launch(KernelInfo kernel, ComputeDevice device, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<byte> uniforms)
    {
        if (device is WebGpu.WebGpuDevice webGpu)
        {
            webGpu.Launch(kernel, grid, buffers, uniforms);
            return null;
        }
        var cpu = Validate(kernel, device, grid, buffers);
        if (cpu is null) device.DispatchValidated(kernel, grid, buffers, uniforms);
        else cpu.CountDispatch(); // the stub runs it now; a batch open on this thread still counts it
        return cpu;
    }

    /// <summary>
    /// Records (in the calling thread's open batch) or submits one dispatch on WebGPU. Call it only right after
    /// <see cref="Validate(KernelInfo, ComputeDevice, Grid, ReadOnlySpan{GpuBufferView})"/> passed for the same
    /// launch, as the stubs do: the device does not repeat the element-stride and fixed-size checks, only what could
    /// have changed since (a buffer disposed by another thread). Otherwise use <see cref="ComputeDevice.Dispatch(KernelInfo, Grid, ReadOnlySpan{GpuBufferView}, ReadOnlySpan{byte})"/>.
    /// Stubs generated before <see cref="Launch"/> existed call this pair; current stubs call <see cref="Launch"/>.
    /// </summary>
    public static void Dispatch(KernelInfo kernel, ComputeDevice device, Grid grid, ReadOnlySpan<GpuBufferView> buffers, ReadOnlySpan<byte> uniforms)
    {
        // WebGPU, the device every generated stub reaches here with, by a direct call rather than a virtual one.
        if (device is WebGpu.WebGpuDevice webGpu) webGpu.DispatchChecked(kernel, grid, buffers, uniforms);
        else device.DispatchValidated(kernel, grid, buffers, uniforms);
    }

    /// <summary>
    /// Writes one scalar or struct parameter into the uniform block at its WGSL offset, by reference (no copy of a
    /// large struct). A struct's bytes are its C# layout, which the generator checked to equal WGSL's (KG0019/KG0020).
    /// </summary>
    public static void WriteUniform<T>(Span<byte> uniforms, int offset, in T value) where T : unmanaged =>
        MemoryMarshal.Write(uniforms.Slice(offset), in value);

    /// <summary>Writes a bool parameter as WGSL sees it in a uniform block: a u32 that is 0 or 1.</summary>
    public static void WriteUniform(Span<byte> uniforms, int offset, bool value) =>
        MemoryMarshal.Write(uniforms.Slice(offset), value ? 1u : 0u);

    private static string Name(KernelInfo kernel, string? given, int i) =>
        given is not null ? $"'{given}'" : i < kernel.BufferNames.Count ? $"'{kernel.BufferNames[i]}'" : $"{i}";

    /// <summary>The slow path of one binding: throws what is wrong with it, or returns for a valid partial view.</summary>
    internal static void CheckBinding(KernelInfo kernel, ComputeDevice device, GpuBufferView view, ReadOnlySpan<string> names, int index)
    {
        // The name is formatted only for a message: a valid view costs no string.
        string? given = names.Length > index ? names[index] : null;
        string name() => Name(kernel, given, index);
        var buffer = view.Buffer ?? throw new KernelLaunchException($"{kernel.Name}: buffer {name()} is null.");
        if (buffer.IsDisposed)
            throw new KernelLaunchException($"{kernel.Name}: buffer {name()} ({buffer}) was disposed.");
        if (!ReferenceEquals(buffer.Device, device))
            throw new KernelLaunchException(
                $"{kernel.Name}: buffer {name()} belongs to another device ({buffer.Device.Description}); " +
                "create it on the device you dispatch on.");
        if (view.IsWhole) return;
        if (view.Offset < 0 || view.Length < 0 || (long)view.Offset + view.Length > buffer.Length)
            throw new KernelLaunchException($"{kernel.Name}: buffer {name()} is elements [{view.Offset}, {(long)view.Offset + view.Length}) of {buffer}, which has {buffer.Length}.");
        if (view.Length == 0)
            throw new KernelLaunchException($"{kernel.Name}: buffer {name()} is an empty view ({view}); WebGPU cannot bind an empty range.");
        long byteOffset = view.ByteOffset;
        uint alignment = device.StorageOffsetAlignment;
        if (byteOffset % alignment != 0)
        {
            long elementsPerStep = Math.Max(1, alignment / buffer.ElementSize);
            throw new KernelLaunchException(
                $"{kernel.Name}: buffer {name()} is {view}, which starts at byte {byteOffset}; a kernel can only bind a view " +
                $"that starts at a multiple of {alignment} bytes on this device (minStorageBufferOffsetAlignment). Start the view " +
                $"at a multiple of {elementsPerStep} elements, or copy the elements to a buffer of their own (ComputeDevice.Copy) " +
                "or pass the offset to the kernel as a parameter.");
        }
        if (view.ByteSize % 4 != 0 && (long)view.Offset + view.Length != buffer.Length)
            throw new KernelLaunchException(
                $"{kernel.Name}: buffer {name()} is {view}, {view.ByteSize} bytes; WebGPU binds storage in whole 4-byte words. " +
                "Make the view's size a multiple of 4 bytes, or let it reach the end of its buffer.");
    }
}
