namespace KernelGen.Models.Kernels;

/// <summary>The binary operations of <see cref="PointwiseKernels.Binary"/>.</summary>
public enum BinaryOp : uint
{
    Add = PointwiseKernels.OpAdd,
    Subtract = PointwiseKernels.OpSub,
    Multiply = PointwiseKernels.OpMul,
    Divide = PointwiseKernels.OpDiv,
}

/// <summary>The activations of <see cref="Activation"/> (for the elementwise kernels).</summary>
public enum ActivationKind : uint
{
    Identity = Activation.None,
    Relu = Activation.Relu,
    Gelu = Activation.Gelu,
    Tanh = Activation.Tanh,
    Sigmoid = Activation.Sigmoid,
}

public static partial class Ops
{
    /// <summary>
    /// output[i] = x[i] op y[(i / yInner) % yCount] over n elements: yInner = 1 and yCount = n (the default) is
    /// elementwise, yCount = columns broadcasts a row vector, yInner = H*W with yCount = C one value per channel,
    /// yCount = 1 a single value. The output is a buffer of its own (WebGPU forbids a written binding aliasing another).
    /// </summary>
    public static void Binary(ComputeDevice device, BinaryOp op, GpuBufferView<float> x, GpuBufferView<float> y, GpuBufferView<float> output,
        int n, int yInner = 1, int? yCount = null)
    {
        int count = yCount ?? n;
        Positive(n, nameof(n));
        Require(x, n, nameof(x));
        Require(output, n, nameof(output));
        Require(y, count, nameof(y));
        Distinct(output, nameof(output), (x, nameof(x)), (y, nameof(y)));
        var (grid, width) = ElementGrid(n);
        PointwiseKernels.BinaryKernel.Dispatch(device, grid, x, y, output, (uint)n, width,
            Positive(yInner, nameof(yInner)), Positive(count, nameof(yCount)), (uint)op);
    }

    /// <summary>output = x + y, elementwise.</summary>
    public static void Add(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, GpuBufferView<float> output, int n) =>
        Binary(device, BinaryOp.Add, x, y, output, n);

    /// <summary>output = x * y, elementwise.</summary>
    public static void Multiply(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, GpuBufferView<float> output, int n) =>
        Binary(device, BinaryOp.Multiply, x, y, output, n);

    /// <summary>output[r, c] = x[r, c] + bias[c] for a [rows, columns] x.</summary>
    public static void AddBias(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> bias, GpuBufferView<float> output, int rows, int columns) =>
        Binary(device, BinaryOp.Add, x, bias, output, checked(rows * columns), 1, columns);

    /// <summary>
    /// The gradient of a broadcast operand y of <see cref="Binary"/>: sum of dy (times x when
    /// <paramref name="multiplyByX"/>, for a product) over the elements each y element was broadcast to;
    /// output = that + beta * output. E.g. the bias gradient of a linear layer: yInner = 1, yCount = columns.
    /// </summary>
    public static void ReduceToBroadcast(ComputeDevice device, GpuBufferView<float> dy, GpuBufferView<float>? x, GpuBufferView<float> output,
        int n, int yInner, int yCount, bool multiplyByX = false, float beta = 0f)
    {
        Positive(n, nameof(n));
        x = Present(x);
        Require(dy, n, nameof(dy));
        if (multiplyByX) Require(x ?? default(GpuBufferView<float>), n, nameof(x));
        Require(output, yCount, nameof(output));
        Distinct(output, nameof(output), (dy, nameof(dy)), (x, nameof(x)));
        PointwiseKernels.ReduceToBroadcastKernel.Dispatch(device, yCount, dy, x ?? Placeholder(device), output,
            (uint)n, Positive(yInner, nameof(yInner)), Positive(yCount, nameof(yCount)), multiplyByX, beta);
    }

    /// <summary>y = alpha * x + beta * y.</summary>
    public static void Axpby(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, float alpha, float beta, int n)
    {
        Positive(n, nameof(n));
        Require(x, n, nameof(x));
        Require(y, n, nameof(y));
        Distinct(y, nameof(y), (x, nameof(x)));
        var (grid, width) = ElementGrid(n);
        PointwiseKernels.AxpbyKernel.Dispatch(device, grid, x, y, alpha, beta, (uint)n, width);
    }

    /// <summary>y = f(x) elementwise.</summary>
    public static void Activate(ComputeDevice device, ActivationKind kind, GpuBufferView<float> x, GpuBufferView<float> y, int n)
    {
        Positive(n, nameof(n));
        Require(x, n, nameof(x));
        Require(y, n, nameof(y));
        Distinct(y, nameof(y), (x, nameof(x)));
        var (grid, width) = ElementGrid(n);
        PointwiseKernels.ActivateKernel.Dispatch(device, grid, x, y, (uint)n, width, (uint)kind);
    }

    /// <summary>dx = f'(x) * dy + beta * dx, from the activation's input x.</summary>
    public static void ActivationBackward(ComputeDevice device, ActivationKind kind, GpuBufferView<float> x, GpuBufferView<float> dy,
        GpuBufferView<float> dx, int n, float beta = 0f)
    {
        Positive(n, nameof(n));
        Require(x, n, nameof(x));
        Require(dy, n, nameof(dy));
        Require(dx, n, nameof(dx));
        Distinct(dx, nameof(dx), (x, nameof(x)), (dy, nameof(dy)));
        var (grid, width) = ElementGrid(n);
        PointwiseKernels.ActivationBackwardKernel.Dispatch(device, grid, x, dy, dx, (uint)n, width, (uint)kind, beta);
    }

    /// <summary>
    /// dx = f'(x) * dy + beta * dx computed from the activation's output y = f(x): for a layer whose activation ran in
    /// the matmul's fused epilogue (<see cref="MatmulOptions.Activation"/>), which keeps only y. ReLU (1 where y &gt; 0),
    /// tanh (1 - y^2), sigmoid (y (1 - y)) and the identity; GELU's derivative is not a function of its output
    /// (ArgumentException: keep its input and use <see cref="ActivationBackward"/>).
    /// </summary>
    public static void ActivationBackwardFromOutput(ComputeDevice device, ActivationKind kind, GpuBufferView<float> y, GpuBufferView<float> dy,
        GpuBufferView<float> dx, int n, float beta = 0f)
    {
        if (kind is not (ActivationKind.Relu or ActivationKind.Tanh or ActivationKind.Sigmoid or ActivationKind.Identity))
            throw new ArgumentException(
                $"The gradient of {kind} is not a function of its output: keep the activation's input and use {nameof(ActivationBackward)}.", nameof(kind));
        Positive(n, nameof(n));
        Require(y, n, nameof(y));
        Require(dy, n, nameof(dy));
        Require(dx, n, nameof(dx));
        Distinct(dx, nameof(dx), (y, nameof(y)), (dy, nameof(dy)));
        var (grid, width) = ElementGrid(n);
        PointwiseKernels.ActivationBackwardFromOutputKernel.Dispatch(device, grid, y, dy, dx, (uint)n, width, (uint)kind, beta);
    }

    /// <summary>x *= scale[0] over n elements, in place; scale is a one-element view computed on the device (<see cref="ClipScale"/>).</summary>
    public static void ScaleInPlace(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> scale, int n)
    {
        Positive(n, nameof(n));
        Require(x, n, nameof(x));
        Require(scale, 1, nameof(scale));
        Distinct(x, nameof(x), (scale, nameof(scale)));
        var (grid, width) = ElementGrid(n);
        PointwiseKernels.ScaleInPlaceKernel.Dispatch(device, grid, x, scale, (uint)n, width);
    }

    /// <summary>
    /// Inverted dropout with drop probability <paramref name="p"/>: the mask is a pure function of (seed, index), so
    /// use a fresh seed per step and the same seed for <see cref="DropoutBackward"/>.
    /// </summary>
    public static void Dropout(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, int n, float p, uint seed)
    {
        if (p is < 0f or >= 1f || float.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), p, "the drop probability must be in [0, 1)");
        Positive(n, nameof(n));
        Require(x, n, nameof(x));
        Require(y, n, nameof(y));
        Distinct(y, nameof(y), (x, nameof(x)));
        var (grid, width) = ElementGrid(n);
        PointwiseKernels.DropoutKernel.Dispatch(device, grid, x, y, seed, p, (uint)n, width);
    }

    /// <summary>dx = dy * mask / (1 - p) with the forward pass's seed: the same kernel, applied to dy.</summary>
    public static void DropoutBackward(ComputeDevice device, GpuBufferView<float> dy, GpuBufferView<float> dx, int n, float p, uint seed) =>
        Dropout(device, dy, dx, n, p, seed);
}
