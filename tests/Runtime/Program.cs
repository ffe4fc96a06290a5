namespace KernelGen.Tests;

/// <summary>
/// The test assembly's entry point. The test runner never calls it; <see cref="NoDriverTests"/> starts this
/// assembly as a child process with <see cref="AdapterProbe.Argument"/>, in an environment without GPU drivers.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is [AdapterProbe.Argument]) return AdapterProbe.Run(Console.Out);
        Console.Error.WriteLine($"This is a test assembly: run it with `dotnet test`. ({AdapterProbe.Argument} runs the no-driver probe.)");
        return 2;
    }
}
