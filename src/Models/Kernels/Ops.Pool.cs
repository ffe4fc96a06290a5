namespace KernelGen.Models.Kernels;

/// <summary>The geometry of 2D pooling over NCHW input (planes = Batch * Channels).</summary>
public readonly record struct Pool2dShape(int Batch, int Channels, int Height, int Width, int KernelH, int KernelW,
    int StrideY, int StrideX, int PadY = 0, int PadX = 0)
{
    /// <summary>A square window with stride equal to its size (the usual 2x2/2).</summary>
    public static Pool2dShape Square(int batch, int channels, int height, int width, int size) =>
        new(batch, channels, height, width, size, size, size, size);

    public int OutH => (Height + 2 * PadY - KernelH) / StrideY + 1;

    public int OutW => (Width + 2 * PadX - KernelW) / StrideX + 1;

    public int Planes => Batch * Channels;

    public long InputSize => (long)Planes * Height * Width;

    public long OutputSize => (long)Planes * OutH * OutW;

    internal void Validate()
    {
        if (Batch <= 0 || Channels <= 0 || Height <= 0 || Width <= 0 || KernelH <= 0 || KernelW <= 0 || StrideY <= 0 || StrideX <= 0 ||
            PadY < 0 || PadX < 0 || OutH <= 0 || OutW <= 0)
            throw new ArgumentOutOfRangeException(nameof(Pool2dShape), this, "invalid pooling geometry");
        if (PadY >= KernelH || PadX >= KernelW)
            throw new ArgumentOutOfRangeException(nameof(Pool2dShape), this, "padding must be smaller than the window");
    }
}

public static partial class Ops
{
    /// <summary>Max pooling: y and the argmax (index in the plane) the backward pass needs.</summary>
    public static void MaxPool2d(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, GpuBufferView<int> argmax, Pool2dShape shape)
    {
        shape.Validate();
        Require(x, shape.InputSize, nameof(x));
        Require(y, shape.OutputSize, nameof(y));
        Require(argmax, shape.OutputSize, nameof(argmax));
        Distinct(y, nameof(y), (x, nameof(x)));
        var s = PoolGeometry(shape);
        PoolKernels.MaxForwardKernel.Dispatch(device, new Grid(s.OutH * s.OutW, s.Planes), x, y, argmax,
            s.Planes, s.H, s.W, s.Kh, s.Kw, s.Sy, s.Sx, s.Py, s.Px, s.OutH, s.OutW);
    }

    /// <summary>dx (plus beta * dx) of max pooling from dy and the forward's argmax.</summary>
    public static void MaxPool2dBackward(ComputeDevice device, GpuBufferView<float> dy, GpuBufferView<int> argmax, GpuBufferView<float> dx, Pool2dShape shape,
        float beta = 0f)
    {
        shape.Validate();
        Require(dy, shape.OutputSize, nameof(dy));
        Require(argmax, shape.OutputSize, nameof(argmax));
        Require(dx, shape.InputSize, nameof(dx));
        Distinct(dx, nameof(dx), (dy, nameof(dy)));
        var s = PoolGeometry(shape);
        if (!LegacyConv && Tiles(shape))
        {
            PoolKernels.MaxBackwardTiledKernel.Dispatch(device, new Grid(s.OutH * s.OutW, s.Planes), dy, argmax, dx,
                s.Planes, s.H, s.W, s.Kh, s.Kw, s.OutH, s.OutW, beta);
            return;
        }
        PoolKernels.MaxBackwardKernel.Dispatch(device, new Grid(s.H * s.W, s.Planes), dy, argmax, dx,
            s.Planes, s.H, s.W, s.Kh, s.Kw, s.Sy, s.Sx, s.Py, s.Px, s.OutH, s.OutW, beta);
    }

    /// <summary>Average pooling (padding not counted).</summary>
    public static void AvgPool2d(ComputeDevice device, GpuBufferView<float> x, GpuBufferView<float> y, Pool2dShape shape)
    {
        shape.Validate();
        Require(x, shape.InputSize, nameof(x));
        Require(y, shape.OutputSize, nameof(y));
        Distinct(y, nameof(y), (x, nameof(x)));
        var s = PoolGeometry(shape);
        PoolKernels.AvgForwardKernel.Dispatch(device, new Grid(s.OutH * s.OutW, s.Planes), x, y,
            s.Planes, s.H, s.W, s.Kh, s.Kw, s.Sy, s.Sx, s.Py, s.Px, s.OutH, s.OutW);
    }

    /// <summary>dx (plus beta * dx) of average pooling.</summary>
    public static void AvgPool2dBackward(ComputeDevice device, GpuBufferView<float> dy, GpuBufferView<float> dx, Pool2dShape shape, float beta = 0f)
    {
        shape.Validate();
        Require(dy, shape.OutputSize, nameof(dy));
        Require(dx, shape.InputSize, nameof(dx));
        Distinct(dx, nameof(dx), (dy, nameof(dy)));
        var s = PoolGeometry(shape);
        PoolKernels.AvgBackwardKernel.Dispatch(device, new Grid(s.H * s.W, s.Planes), dy, dx,
            s.Planes, s.H, s.W, s.Kh, s.Kw, s.Sy, s.Sx, s.Py, s.Px, s.OutH, s.OutW, beta);
    }

    /// <summary>Whether the windows tile the input exactly: each element in exactly one window.</summary>
    private static bool Tiles(Pool2dShape s) =>
        s.StrideY == s.KernelH && s.StrideX == s.KernelW && s.PadY == 0 && s.PadX == 0 && s.Height % s.KernelH == 0 && s.Width % s.KernelW == 0;

    private readonly record struct PoolDims(uint Planes, uint H, uint W, uint Kh, uint Kw, uint Sy, uint Sx, uint Py, uint Px, uint OutH, uint OutW);

    private static PoolDims PoolGeometry(Pool2dShape s) => new((uint)s.Planes, (uint)s.Height, (uint)s.Width, (uint)s.KernelH,
        (uint)s.KernelW, (uint)s.StrideY, (uint)s.StrideX, (uint)s.PadY, (uint)s.PadX, (uint)s.OutH, (uint)s.OutW);
}
