namespace KernelGen.Models.Kernels;

/// <summary>The geometry of a 2D convolution over NCHW input with [OutChannels, InChannels, KernelH, KernelW] weights.</summary>
public readonly record struct Conv2dShape(int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelH, int KernelW,
    int StrideY = 1, int StrideX = 1, int PadY = 0, int PadX = 0)
{
    public int OutH => (Height + 2 * PadY - KernelH) / StrideY + 1;

    public int OutW => (Width + 2 * PadX - KernelW) / StrideX + 1;

    public long InputSize => (long)Batch * InChannels * Height * Width;

    public long OutputSize => (long)Batch * OutChannels * OutH * OutW;

    public long WeightSize => (long)OutChannels * InChannels * KernelH * KernelW;

    /// <summary>Rows of the im2col matrix: InChannels * KernelH * KernelW.</summary>
    public int Taps => InChannels * KernelH * KernelW;

    /// <summary>Multiply-adds of the forward pass.</summary>
    public long MultiplyAdds => OutputSize * Taps;

    internal void Validate()
    {
        if (Batch <= 0 || InChannels <= 0 || Height <= 0 || Width <= 0 || OutChannels <= 0 || KernelH <= 0 || KernelW <= 0 ||
            StrideY <= 0 || StrideX <= 0 || PadY < 0 || PadX < 0)
            throw new ArgumentOutOfRangeException(nameof(Conv2dShape), this, "sizes and strides must be positive, padding non-negative");
        if (OutH <= 0 || OutW <= 0)
            throw new ArgumentOutOfRangeException(nameof(Conv2dShape), this, "the kernel is larger than the padded input");
    }
}

/// <summary>How a convolution runs (see <see cref="ConvKernels"/>).</summary>
public enum ConvVariant
{
    Auto,

    /// <summary>One invocation per output / input gradient / weight gradient.</summary>
    Direct,

    /// <summary>Im2col, then matmuls (and col2im for the input gradient).</summary>
    Im2Col,

    /// <summary>
    /// Direct, register-blocked: <see cref="ConvKernels.Block"/> channels per invocation, loops with the same bounds for
    /// every invocation (<see cref="ConvKernels.ForwardBlocked"/>, <see cref="ConvKernels.GradInputBlocked"/>; on
    /// WebGPU 4 columns per invocation as well, <see cref="ConvKernels.ForwardWide"/>, <see cref="ConvKernels.GradInputWide"/>;
    /// <see cref="ConvKernels.GradWeightBlocked"/> split over the batch).
    /// </summary>
    Blocked,
}

/// <summary>The passes of a convolution, which <see cref="Ops.ChooseConv(ComputeDevice, Conv2dShape, ConvPass)"/> routes separately.</summary>
public enum ConvPass
{
    Forward,

    /// <summary>The input gradient.</summary>
    Input,

    /// <summary>The weight gradient.</summary>
    Weight,
}

public static partial class Ops
{
    /// <summary>
    /// The route of one pass on a device (measured at the CNN's and the deep CNN's layer shapes, batch 64: the
    /// <c>conv</c> probe in docs/benchmarks-models.md). Below a million multiply-adds the plain direct kernels
    /// (launch-bound sizes). Above, on the CPU backend and on lavapipe: the register-blocked direct kernels
    /// (1.2-4x faster than im2col there), except the input gradient of a strided convolution with a window larger
    /// than 1 or of fewer than 8 input channels (most taps miss, or most of a block is idle), and on lavapipe the
    /// weight gradient of 4096 weights or more (where im2col's register-blocked matmul wins). On a GPU: im2col and
    /// the tiled matmuls.
    /// </summary>
    public static ConvVariant ChooseConv(ComputeDevice device, Conv2dShape shape, ConvPass pass)
    {
        ArgumentNullException.ThrowIfNull(device);
        var size = ChooseConv(shape);
        if (LegacyConv || size == ConvVariant.Direct) return size;
        bool cpu = device.Backend == Backend.Cpu;
        if (!cpu && !IsSoftwareAdapter(device)) return ConvVariant.Im2Col;
        bool strided = (shape.StrideY > 1 || shape.StrideX > 1) && shape.KernelH * shape.KernelW > 1;
        return pass switch
        {
            ConvPass.Input when strided || shape.InChannels < ConvKernels.Block => ConvVariant.Im2Col,
            ConvPass.Weight when !cpu && shape.WeightSize >= 4096 => ConvVariant.Im2Col,
            _ => ConvVariant.Blocked,
        };
    }

    /// <summary>Direct kernels for small convolutions; im2col and the register-blocked matmuls past a million multiply-adds.</summary>
    public static ConvVariant ChooseConv(Conv2dShape shape) =>
        shape.MultiplyAdds >= (1 << 20) && (long)shape.Taps * shape.Batch * shape.OutH * shape.OutW <= (1 << 26)
            ? ConvVariant.Im2Col : ConvVariant.Direct;

    /// <summary>y = conv2d(x, w) + bias (bias per output channel, optional).</summary>
    public static void Conv2d(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> w, GpuBufferView<float>? bias, GpuBufferView<float> y,
        Conv2dShape shape, ConvVariant variant = ConvVariant.Auto, BufferPool? pool = null)
    {
        shape.Validate();
        bias = Present(bias);
        Require(x, shape.InputSize, nameof(x));
        Require(w, shape.WeightSize, nameof(w));
        Require(y, shape.OutputSize, nameof(y));
        if (bias is not null) Require(bias.Value, shape.OutChannels, nameof(bias));
        Distinct(y, nameof(y), (x, nameof(x)), (w, nameof(w)), (bias, nameof(bias)));
        if (variant == ConvVariant.Auto) variant = ChooseConv(device, shape, ConvPass.Forward);
        var g = Geometry(shape);
        if (variant == ConvVariant.Blocked && device.Backend == Backend.WebGpu)
        {
            ConvKernels.ForwardWideKernel.Dispatch(device, new Grid(Ceiling(g.N * g.OutH * g.OutW, 4), Ceiling(g.Co, (int)ConvKernels.Block)), x, w,
                bias ?? Placeholder(device), y, g.N, g.Ci, g.H, g.W, g.Co, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, bias is not null);
            return;
        }
        if (variant == ConvVariant.Blocked)
        {
            ConvKernels.ForwardBlockedKernel.Dispatch(device, new Grid(g.N * g.OutH * g.OutW, Ceiling(g.Co, (int)ConvKernels.Block)), x, w,
                bias ?? Placeholder(device), y, g.N, g.Ci, g.H, g.W, g.Co, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, bias is not null);
            return;
        }
        if (variant == ConvVariant.Direct)
        {
            ConvKernels.ForwardKernel.Dispatch(device, new Grid(g.OutH * g.OutW, g.Co, g.N), x, w, bias ?? Placeholder(device), y,
                g.Ci, g.H, g.W, g.Co, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, bias is not null);
            return;
        }
        int columns = shape.Batch * shape.OutH * shape.OutW;
        var cols = Rent(device, pool, shape.Taps * columns);
        var yT = Rent(device, pool, shape.OutChannels * columns);
        try
        {
            Im2Col(device, x, cols, shape);
            // [Co, taps] · [taps, N*outHW] = [Co, N*outHW], then to [N, Co, outHW].
            Matmul(device, w, cols, yT, shape.OutChannels, columns, shape.Taps,
                new MatmulOptions { Bias = bias, BiasMode = BiasMode.PerRow });
            SwapMiddle(device, yT, y, 1, shape.OutChannels, shape.Batch, shape.OutH * shape.OutW);
        }
        finally
        {
            Return(pool, cols, yT);
        }
    }

    /// <summary>
    /// The convolution's gradients, each optional: dx, dw and dbias (the sum of dy over batch and space), each plus
    /// beta times its old value.
    /// </summary>
    public static void Conv2dBackward(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> w, GpuBufferView<float> dy,
        GpuBufferView<float>? dx, GpuBufferView<float>? dw, GpuBufferView<float>? dbias, Conv2dShape shape, float beta = 0f,
        ConvVariant variant = ConvVariant.Auto, BufferPool? pool = null)
    {
        shape.Validate();
        dx = Present(dx);
        dw = Present(dw);
        dbias = Present(dbias);
        Require(x, shape.InputSize, nameof(x));
        Require(w, shape.WeightSize, nameof(w));
        Require(dy, shape.OutputSize, nameof(dy));
        if (dx is not null) Require(dx.Value, shape.InputSize, nameof(dx));
        if (dw is not null) Require(dw.Value, shape.WeightSize, nameof(dw));
        if (dbias is not null) Require(dbias.Value, shape.OutChannels, nameof(dbias));
        var outputs = new[] { (dx, nameof(dx)), (dw, nameof(dw)), (dbias, nameof(dbias)) };
        for (int o = 0; o < outputs.Length; o++)
            if (outputs[o].Item1 is { } output)
                Distinct(output, outputs[o].Item2, (x, nameof(x)), (w, nameof(w)), (dy, nameof(dy)), (o == 0 ? null : dx, nameof(dx)),
                    (o == 1 ? null : dw, nameof(dw)), (o == 2 ? null : dbias, nameof(dbias)));
        var g = Geometry(shape);
        if (dbias is not null)
            ReduceToBroadcast(device, dy, null, dbias.Value, checked((int)shape.OutputSize), shape.OutH * shape.OutW, shape.OutChannels, beta: beta);
        if (dx is not null)
        {
            var v = variant == ConvVariant.Auto ? ChooseConv(device, shape, ConvPass.Input) : variant;
            if (v == ConvVariant.Blocked && device.Backend == Backend.WebGpu)
                ConvKernels.GradInputWideKernel.Dispatch(device, new Grid(Ceiling(g.N * g.H * g.W, 4), Ceiling(g.Ci, (int)ConvKernels.Block)), dy, w, dx.Value,
                    g.N, g.Ci, g.H, g.W, g.Co, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, beta);
            else if (v == ConvVariant.Blocked)
                ConvKernels.GradInputBlockedKernel.Dispatch(device, new Grid(g.N * g.H * g.W, Ceiling(g.Ci, (int)ConvKernels.Block)), dy, w, dx.Value,
                    g.N, g.Ci, g.H, g.W, g.Co, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, beta);
            else if (v == ConvVariant.Direct)
                ConvKernels.GradInputKernel.Dispatch(device, new Grid(g.H * g.W, g.Ci, g.N), dy, w, dx.Value,
                    g.Ci, g.H, g.W, g.Co, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, beta);
            else
                Im2ColGradInput(device, w, dy, dx.Value, shape, beta, pool);
        }
        if (dw is not null)
        {
            var v = variant == ConvVariant.Auto ? ChooseConv(device, shape, ConvPass.Weight) : variant;
            if (v == ConvVariant.Blocked)
                GradWeightBlocked(device, x, dy, dw.Value, shape, beta, pool);
            else if (v == ConvVariant.Direct)
                ConvKernels.GradWeightKernel.Dispatch(device, new Grid((uint)shape.Taps, g.Co), x, dy, dw.Value,
                    g.N, g.Ci, g.H, g.W, g.Co, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, beta);
            else
                Im2ColGradWeight(device, x, dy, dw.Value, shape, beta, pool);
        }
    }

    /// <summary>dw [Co, taps] = dy as [Co, N*outHW] · im2col(x)^T.</summary>
    private static void Im2ColGradWeight(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> dy, GpuBufferView<float> dw,
        Conv2dShape shape, float beta, BufferPool? pool)
    {
        int columns = shape.Batch * shape.OutH * shape.OutW;
        var dyT = Rent(device, pool, shape.OutChannels * columns);
        var cols = Rent(device, pool, shape.Taps * columns);
        try
        {
            // dy [N, Co, outHW] to [Co, N*outHW].
            SwapMiddle(device, dy, dyT, 1, shape.Batch, shape.OutChannels, shape.OutH * shape.OutW);
            Im2Col(device, x, cols, shape);
            Matmul(device, dyT, cols, dw, shape.OutChannels, shape.Taps, columns, new MatmulOptions { TransposeB = true, Beta = beta });
        }
        finally
        {
            Return(pool, dyT, cols);
        }
    }

    /// <summary>dcols [taps, N*outHW] = w^T · dy as [Co, N*outHW], gathered back into dx by col2im.</summary>
    private static void Im2ColGradInput(ComputeDevice device, GpuBufferView<float> w, GpuBufferView<float> dy, GpuBufferView<float> dx,
        Conv2dShape shape, float beta, BufferPool? pool)
    {
        var g = Geometry(shape);
        int columns = shape.Batch * shape.OutH * shape.OutW;
        var dyT = Rent(device, pool, shape.OutChannels * columns);
        var cols = Rent(device, pool, shape.Taps * columns);
        try
        {
            SwapMiddle(device, dy, dyT, 1, shape.Batch, shape.OutChannels, shape.OutH * shape.OutW);
            Matmul(device, w, dyT, cols, shape.Taps, columns, shape.OutChannels, new MatmulOptions { TransposeA = true });
            if (LegacyConv)
                ConvKernels.Col2ImKernel.Dispatch(device, new Grid(g.H * g.W, g.Ci, g.N), cols, dx,
                    g.N, g.Ci, g.H, g.W, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, beta);
            else
                ConvKernels.Col2ImRowsKernel.Dispatch(device, new Grid(g.N * g.H * g.W, g.Ci), cols, dx,
                    g.N, g.Ci, g.H, g.W, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, beta);
        }
        finally
        {
            Return(pool, dyT, cols);
        }
    }

    /// <summary>
    /// dw by <see cref="ConvKernels.GradWeightBlocked"/>: the batch split so that there are at least
    /// <see cref="GradWeightInvocations"/> invocations, the splits' partial sums then added in order (deterministic).
    /// </summary>
    private static void GradWeightBlocked(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> dy, GpuBufferView<float> dw,
        Conv2dShape shape, float beta, BufferPool? pool)
    {
        var g = Geometry(shape);
        uint blocks = Ceiling(g.Co, (int)ConvKernels.Block);
        long invocations = (long)shape.Taps * blocks;
        int splits = (int)Math.Clamp((GradWeightInvocations + invocations - 1) / invocations, 1, shape.Batch);
        uint perSplit = (uint)((shape.Batch + splits - 1) / splits);
        splits = (int)((g.N + perSplit - 1) / perSplit);
        if (splits == 1)
        {
            ConvKernels.GradWeightBlockedKernel.Dispatch(device, new Grid((uint)shape.Taps, blocks, 1), x, dy, dw,
                g.N, g.Ci, g.H, g.W, g.Co, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, perSplit, beta);
            return;
        }
        var partials = Rent(device, pool, splits * shape.WeightSize);
        try
        {
            ConvKernels.GradWeightBlockedKernel.Dispatch(device, new Grid((uint)shape.Taps, blocks, (uint)splits), x, dy, partials,
                g.N, g.Ci, g.H, g.W, g.Co, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW, perSplit, 0f);
            ReduceToBroadcast(device, partials, null, dw, checked((int)(splits * shape.WeightSize)), 1, (int)shape.WeightSize, beta: beta);
        }
        finally
        {
            Return(pool, partials);
        }
    }

    /// <summary>
    /// The routes and kernels before the blocked kernels (the old chooser, element-wise im2col/col2im, the gather
    /// max-pool backward), for the benchmarks' before/after comparisons. Not for use otherwise.
    /// </summary>
    internal static bool LegacyConv;

    /// <summary>How many invocations the blocked weight gradient aims for (splitting the batch to get them).</summary>
    private const long GradWeightInvocations = 4096;

    /// <summary>The im2col matrix [InChannels*KernelH*KernelW, Batch*OutH*OutW] of x.</summary>
    public static void Im2Col(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> cols, Conv2dShape shape)
    {
        shape.Validate();
        Require(x, shape.InputSize, nameof(x));
        Require(cols, (long)shape.Taps * shape.Batch * shape.OutH * shape.OutW, nameof(cols));
        Distinct(cols, nameof(cols), (x, nameof(x)));
        var g = Geometry(shape);
        if (LegacyConv)
            ConvKernels.Im2ColKernel.Dispatch(device, new Grid(g.N * g.OutH * g.OutW, (uint)shape.Taps), x, cols,
                g.N, g.Ci, g.H, g.W, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW);
        else
            ConvKernels.Im2ColRowsKernel.Dispatch(device, new Grid(g.N * g.OutH * g.OutW, g.Ci), x, cols,
                g.N, g.Ci, g.H, g.W, g.Kh, g.Kw, g.Sy, g.Sx, g.Py, g.Px, g.OutH, g.OutW);
    }

    private readonly record struct ConvGeometry(uint N, uint Ci, uint H, uint W, uint Co, uint Kh, uint Kw, uint Sy, uint Sx, uint Py, uint Px, uint OutH, uint OutW);

    private static ConvGeometry Geometry(Conv2dShape s) => new((uint)s.Batch, (uint)s.InChannels, (uint)s.Height, (uint)s.Width,
        (uint)s.OutChannels, (uint)s.KernelH, (uint)s.KernelW, (uint)s.StrideY, (uint)s.StrideX, (uint)s.PadY, (uint)s.PadX, (uint)s.OutH, (uint)s.OutW);

    private static GpuBuffer<float> Rent(ComputeDevice device, BufferPool? pool, long length) =>
        length > int.MaxValue ? throw new ArgumentException("A temporary of the operation exceeds 2^31 elements.")
            : pool?.Rent<float>((int)length) ?? device.CreateBuffer<float>((int)length);

    // Safe while the work is still queued: a released buffer lives until the work that uses it is done.
    private static void Return(BufferPool? pool, params GpuBuffer[] buffers)
    {
        foreach (var buffer in buffers)
        {
            if (pool is null) buffer.Dispose();
            else pool.Return(buffer);
        }
    }
}
