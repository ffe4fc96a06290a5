[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("KernelGen.Models.Tests")]
