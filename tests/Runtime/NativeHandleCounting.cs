using Xunit;

namespace KernelGen.Tests;

/// <summary>
/// Tests that compare <see cref="Native.NativeHandles"/> counts before and after: the counts are process-wide, so
/// these run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(nameof(NativeHandleCounting), DisableParallelization = true)]
public sealed class NativeHandleCounting;
