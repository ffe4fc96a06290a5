using KernelGen.Reports.Html;
using Xunit;

namespace KernelGen.Reports.Tests;

public sealed class DependencyTests
{
    [Fact]
    public void Reports_depend_on_neither_the_runtime_nor_the_models()
    {
        var references = typeof(HtmlReport).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("KernelGen.Runtime", references);
        Assert.DoesNotContain("KernelGen.Models", references);
        Assert.Contains("ScottPlot", references);
    }
}
