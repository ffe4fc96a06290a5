using System.CommandLine;
using KernelGen.Models.Data;
using KernelGen.WebGpu;

namespace KernelGen.Cli.Commands;

/// <summary>
/// <c>kernelgen info</c>: the backend the kernels would run on and why, the adapter and the limits its device was
/// opened with, and where each data set is found (or the command that installs them).
/// </summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var backend = CliOptions.Backend();
        var dataDirectory = CliOptions.DataDirectory();
        var command = new Command("info", "print the backend, the adapter and its limits, and the data sets found") { backend, dataDirectory };
        command.SetAction(parse => Run(context.Out, parse.GetValue(backend)!, parse.GetValue(dataDirectory)));
        return command;
    }

    public static int Run(TextWriter output, string backend, string? dataDirectory)
    {
        string? variable = Environment.GetEnvironmentVariable("KERNELGEN_BACKEND");
        string why = backend != "auto" ? $"--backend {backend}"
            : string.IsNullOrEmpty(variable) ? "auto: WebGPU where an adapter exists, else the CPU backend" : $"KERNELGEN_BACKEND={variable}";
        using (var device = DeviceChoice.Open(backend, output))
        {
            output.WriteLine($"Backend: {device.Backend} ({why})");
            output.WriteLine($"Device: {device.Description}");
            if (device.GetWebGpuAdapter() is { } adapter)
            {
                var l = adapter.Limits;
                output.WriteLine($"Adapter: {adapter.Name}, vendor '{adapter.Vendor}', {adapter.AdapterType}, driver {adapter.DriverDescription}; " +
                                 $"f16 {YesNo(adapter.SupportsShaderF16)}, subgroups {YesNo(adapter.SupportsSubgroups)}, timestamps {YesNo(adapter.SupportsTimestampQueries)}");
                output.WriteLine("Limits:");
                output.WriteLine($"  max buffer size                 {Bytes(l.MaxBufferSize)}");
                output.WriteLine($"  max storage buffer binding      {Bytes(l.MaxStorageBufferBindingSize)}");
                output.WriteLine($"  max uniform buffer binding      {Bytes(l.MaxUniformBufferBindingSize)}");
                output.WriteLine($"  storage buffers per stage       {l.MaxStorageBuffersPerShaderStage}");
                output.WriteLine($"  workgroup storage               {Bytes(l.MaxComputeWorkgroupStorageSize)}");
                output.WriteLine($"  invocations per workgroup       {l.MaxComputeInvocationsPerWorkgroup}");
                output.WriteLine($"  workgroup size (x, y, z)        {l.MaxComputeWorkgroupSizeX} x {l.MaxComputeWorkgroupSizeY} x {l.MaxComputeWorkgroupSizeZ}");
                output.WriteLine($"  workgroups per dimension        {l.MaxComputeWorkgroupsPerDimension}");
                output.WriteLine($"  storage / uniform offset align  {l.MinStorageBufferOffsetAlignment} / {l.MinUniformBufferOffsetAlignment} bytes");
            }
            else
            {
                output.WriteLine($"Limits: workgroups per dimension {device.MaxWorkgroupsPerDimension}; buffers are host memory (the CPU backend)");
            }
        }
        output.WriteLine("Data sets:");
        bool missing = false;
        foreach (var (name, path) in new[]
        {
            ("MNIST", DataSets.FindMnist(dataDirectory)),
            ("Fashion-MNIST", DataSets.FindFashionMnist(dataDirectory)),
            ("Tiny Shakespeare", DataSets.FindTinyShakespeare(dataDirectory)),
        })
        {
            output.WriteLine($"  {name,-17} {path ?? "not found"}");
            missing |= path is null;
        }
        if (missing) output.WriteLine($"Install the missing data sets with: {DataSetException.InstallCommand} (from the repository root), or point --data-dir or KERNELGEN_DATA at them.");
        return 0;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Bytes(ulong bytes) => bytes switch
    {
        >= 1UL << 30 when bytes % (1UL << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1UL << 20 when bytes % (1UL << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1UL << 10 when bytes % (1UL << 10) == 0 => $"{bytes >> 10} KiB",
        >= 1UL << 30 => $"{bytes:N0} bytes ({bytes / (double)(1UL << 30):F1} GiB)",
        _ => $"{bytes:N0} bytes",
    };
}
