using System.Runtime.InteropServices;

namespace KernelGen;

/// <summary>
/// Checks the generated stubs run before every dispatch, so a bad launch fails with a clear exception and nothing
/// reaches the device. Public because generated code in user assemblies calls it.
/// </summary>
public static class KernelLaunch
{
    /// <summary>WebGPU's default <c>maxComputeWorkgroupsPerDimension</c>.</summary>
    public const uint MaxWorkgroupsPerDimension = 65535;

    public static void Validate(KernelInfo kernel, ComputeDevice device, Grid grid, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<string> names)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.IsDisposed)
            throw new KernelLaunchException($"{kernel.Name}: the device was disposed.");
        if (buffers.Length != kernel.Buffers.Count)
            throw new KernelLaunchException($"{kernel.Name}: got {buffers.Length} buffers, the kernel binds {kernel.Buffers.Count}.");
        for (int i = 0; i < buffers.Length; i++)
        {
            var buffer = buffers[i] ?? throw new KernelLaunchException($"{kernel.Name}: buffer '{names[i]}' is null.");
            if (buffer.IsDisposed)
                throw new KernelLaunchException($"{kernel.Name}: buffer '{names[i]}' ({buffer}) was disposed.");
            if (!ReferenceEquals(buffer.Device, device))
                throw new KernelLaunchException(
                    $"{kernel.Name}: buffer '{names[i]}' belongs to another device ({buffer.Device.Description}); " +
                    "create it on the device you dispatch on.");
        }
        // Element sizes against the WGSL's array strides, then the device's workgroup limit.
        KernelBindings.For(kernel).Check(kernel, buffers, names);
        device.WorkgroupsFor(kernel, grid);
    }

    /// <summary>Writes one scalar parameter into the uniform block at its WGSL offset.</summary>
    public static void WriteUniform<T>(Span<byte> uniforms, int offset, T value) where T : unmanaged =>
        MemoryMarshal.Write(uniforms.Slice(offset), in value);

    /// <summary>
    /// Writes a struct parameter into the uniform block at its WGSL offset, by reference (no copy of a large struct).
    /// Its bytes are its C# layout, which the generator checked to equal WGSL's (KG0019/KG0020).
    /// </summary>
    public static void WriteUniform<T>(Span<byte> uniforms, int offset, in T value) where T : unmanaged =>
        MemoryMarshal.Write(uniforms.Slice(offset), in value);

    /// <summary>Writes a bool parameter as WGSL sees it in a uniform block: a u32 that is 0 or 1.</summary>
    public static void WriteUniform(Span<byte> uniforms, int offset, bool value) =>
        MemoryMarshal.Write(uniforms.Slice(offset), value ? 1u : 0u);
}
