[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("KernelGen.Models.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("KernelGen.ModelBenchmarks")]
