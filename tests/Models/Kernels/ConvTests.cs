using KernelGen.Models.Kernels;
using KernelGen.Tests;
using Xunit;
using static KernelGen.Models.Tests.Kernels.KernelCheck;

namespace KernelGen.Models.Tests.Kernels;

/// <summary>Conv2D (direct and im2col routes) and pooling: float64 references, finite differences, WebGPU vs CPU.</summary>
public class ConvTests
{
    public static readonly Conv2dShape[] Shapes =
    [
        new(1, 1, 1, 1, 1, 1, 1),                                     // everything 1
        new(2, 3, 7, 6, 4, 3, 3, PadY: 1, PadX: 1),                  // same-size output
        new(1, 2, 9, 8, 3, 3, 2, StrideY: 2, StrideX: 3, PadY: 1),   // strides, rectangular kernel, padding on one axis
        new(1, 1, 9, 9, 16, 5, 5, PadY: 2, PadX: 2),                 // the CNN's first layer: batch 1, one channel, 5x5 pad 2
        new(3, 3, 8, 7, 5, 3, 3, 2, 2, 1, 1),                        // batch 3, 3 channels, 3x3 stride 2 pad 1, 5 outputs (a partial block)
        new(3, 16, 6, 5, 10, 1, 1, 2, 2),                            // a 1x1 stride-2 shortcut, 16 channels in, 10 out
        new(1, 16, 5, 5, 16, 3, 3, PadY: 1, PadX: 1),                // 16 channels both sides (two full blocks)
    ];

    private static readonly ConvVariant[] Variants = [ConvVariant.Direct, ConvVariant.Im2Col, ConvVariant.Blocked];

    public static TheoryData<int, ConvVariant> Cases()
    {
        var data = new TheoryData<int, ConvVariant>();
        for (int i = 0; i < Shapes.Length; i++)
            foreach (var variant in Variants)
                data.Add(i, variant);
        return data;
    }

    private sealed record Result(float[] Y, float[] Dx, float[] Dw, float[] Db);

    private static Result Run(ComputeDevice device, float[] x, float[] w, float[] bias, float[] dy, Conv2dShape shape, ConvVariant variant)
    {
        using var xb = device.CreateBuffer<float>(x);
        using var wb = device.CreateBuffer<float>(w);
        using var bb = device.CreateBuffer<float>(bias);
        using var yb = device.CreateBuffer<float>((int)shape.OutputSize);
        using var dyb = device.CreateBuffer<float>(dy);
        using var dx = device.CreateBuffer<float>(x.Length);
        using var dw = device.CreateBuffer<float>(w.Length);
        using var db = device.CreateBuffer<float>(bias.Length);
        Ops.Conv2d(device, xb, wb, bb, yb, shape, variant);
        Ops.Conv2dBackward(device, xb, wb, dyb, dx, dw, db, shape, 0f, variant);
        return new Result(yb.Read(), dx.Read(), dw.Read(), db.Read());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_gradients_match_float64_and_finite_differences(int shapeIndex, ConvVariant variant)
    {
        var s = Shapes[shapeIndex];
        float[] x = Floats(1, (int)s.InputSize), w = Floats(2, (int)s.WeightSize), bias = Floats(3, s.OutChannels), dy = Floats(4, (int)s.OutputSize);
        double[] xd = ToDouble(x), wd = ToDouble(w), bd = ToDouble(bias);
        var cpu = Run(CpuOracle, x, w, bias, dy, s, variant);
        string what = $"conv {variant} {s}";
        Close(Reference.Conv2d(xd, wd, bd, s), cpu.Y, 1e-5, what);
        Close(GradCheck.Numeric(v => GradCheck.Dot(dy, Reference.Conv2d(v, wd, bd, s)), xd), cpu.Dx, 1e-5, what + " dx");
        Close(GradCheck.Numeric(v => GradCheck.Dot(dy, Reference.Conv2d(xd, v, bd, s)), wd), cpu.Dw, 1e-5, what + " dw");
        Close(GradCheck.Numeric(v => GradCheck.Dot(dy, Reference.Conv2d(xd, wd, v, s)), bd), cpu.Db, 1e-5, what + " dbias");
        if (WebGpuTestDevice.SkipReason is null)
        {
            var gpu = Run(GpuDevice, x, w, bias, dy, s, variant);
            Close(cpu.Y, gpu.Y, 1e-5, what + " WebGPU vs CPU");
            Close(cpu.Dx, gpu.Dx, 1e-5, what + " dx WebGPU vs CPU");
            Close(cpu.Dw, gpu.Dw, 1e-5, what + " dw WebGPU vs CPU");
            Close(cpu.Db, gpu.Db, 1e-5, what + " dbias WebGPU vs CPU");
        }
    }

    [Fact]
    public void Gradients_accumulate_with_beta()
    {
        foreach (var s in new[] { Shapes[1], Shapes[5] })
        foreach (var variant in Variants)
        {
            float[] x = Floats(5, (int)s.InputSize), w = Floats(6, (int)s.WeightSize), dy = Floats(7, (int)s.OutputSize);
            using var xb = CpuOracle.CreateBuffer<float>(x);
            using var wb = CpuOracle.CreateBuffer<float>(w);
            using var dyb = CpuOracle.CreateBuffer<float>(dy);
            using var dx = CpuOracle.CreateBuffer<float>(x.Length);
            using var dw = CpuOracle.CreateBuffer<float>(w.Length);
            Ops.Conv2dBackward(CpuOracle, xb, wb, dyb, dx, dw, null, s, 0f, variant);
            float[] once = dw.Read(), onceX = dx.Read();
            Ops.Conv2dBackward(CpuOracle, xb, wb, dyb, dx, dw, null, s, 1f, variant);
            Close(ToDouble(once).Select(v => 2 * v).ToArray(), dw.Read(), 1e-6, $"{variant} dw twice");
            Close(ToDouble(onceX).Select(v => 2 * v).ToArray(), dx.Read(), 1e-6, $"{variant} dx twice");
        }
    }

    [Fact]
    public void Chooser_uses_im2col_for_large_convolutions()
    {
        Assert.Equal(ConvVariant.Direct, Ops.ChooseConv(Shapes[1]));
        Assert.Equal(ConvVariant.Im2Col, Ops.ChooseConv(new Conv2dShape(32, 16, 28, 28, 32, 3, 3, PadY: 1, PadX: 1)));
        // On the CPU backend: the blocked direct kernels, except the input gradient of a strided convolution (or of few channels).
        var big = new Conv2dShape(64, 16, 14, 14, 32, 5, 5, PadY: 2, PadX: 2);
        var strided = new Conv2dShape(64, 16, 28, 28, 32, 3, 3, 2, 2, 1, 1);
        Assert.Equal(ConvVariant.Direct, Ops.ChooseConv(CpuOracle, Shapes[1], ConvPass.Forward));
        foreach (var pass in new[] { ConvPass.Forward, ConvPass.Input, ConvPass.Weight })
            Assert.Equal(ConvVariant.Blocked, Ops.ChooseConv(CpuOracle, big, pass));
        Assert.Equal(ConvVariant.Im2Col, Ops.ChooseConv(CpuOracle, strided, ConvPass.Input));
        Assert.Equal(ConvVariant.Blocked, Ops.ChooseConv(CpuOracle, strided, ConvPass.Weight));
        Assert.Equal(ConvVariant.Im2Col, Ops.ChooseConv(CpuOracle, new Conv2dShape(64, 1, 28, 28, 16, 5, 5, PadY: 2, PadX: 2), ConvPass.Input));
        Assert.Equal(ConvVariant.Blocked, Ops.ChooseConv(CpuOracle, new Conv2dShape(64, 16, 28, 28, 32, 1, 1, 2, 2), ConvPass.Input));
    }

    [Fact]
    public void Lane_blocked_kernels_agree_on_webgpu()
    {
        // Blocked on WebGPU dispatches the 4-column kernels; the lane-blocked ones (the CPU backend's) must be valid
        // WGSL and agree too.
        if (WebGpuTestDevice.SkipReason is not null) return;
        var s = Shapes[4];
        float[] x = Floats(13, (int)s.InputSize), w = Floats(14, (int)s.WeightSize), bias = Floats(15, s.OutChannels), dy = Floats(16, (int)s.OutputSize);
        (float[] Y, float[] Dx) Run(ComputeDevice device)
        {
            using var xb = device.CreateBuffer<float>(x);
            using var wb = device.CreateBuffer<float>(w);
            using var bb = device.CreateBuffer<float>(bias);
            using var dyb = device.CreateBuffer<float>(dy);
            using var yb = device.CreateBuffer<float>((int)s.OutputSize);
            using var dx = device.CreateBuffer<float>(x.Length);
            uint n = (uint)s.Batch, ci = (uint)s.InChannels, h = (uint)s.Height, wd = (uint)s.Width, co = (uint)s.OutChannels;
            uint kh = (uint)s.KernelH, kw = (uint)s.KernelW, oh = (uint)s.OutH, ow = (uint)s.OutW;
            ConvKernels.ForwardBlockedKernel.Dispatch(device, new Grid(n * oh * ow, (co + ConvKernels.Block - 1) / ConvKernels.Block), xb, wb, bb, yb,
                n, ci, h, wd, co, kh, kw, 1u, 1u, 2u, 2u, oh, ow, true);
            ConvKernels.GradInputBlockedKernel.Dispatch(device, new Grid(n * h * wd, (ci + ConvKernels.Block - 1) / ConvKernels.Block), dyb, wb, dx,
                n, ci, h, wd, co, kh, kw, 1u, 1u, 2u, 2u, oh, ow, 0f);
            return (yb.Read(), dx.Read());
        }
        var cpu = Run(CpuOracle);
        var gpu = Run(GpuDevice);
        Close(ToDouble(cpu.Y), gpu.Y, 1e-5, "ForwardBlocked WebGPU vs CPU");
        Close(ToDouble(cpu.Dx), gpu.Dx, 1e-5, "GradInputBlocked WebGPU vs CPU");
    }

    public static readonly Pool2dShape[] PoolShapes =
    [
        Pool2dShape.Square(2, 3, 6, 6, 2),                       // the usual 2x2/2
        new(1, 2, 7, 5, 3, 3, 2, 2, 1, 1),                        // overlapping windows with padding, odd sizes
        new(1, 1, 1, 1, 1, 1, 1, 1),                              // a single element
        Pool2dShape.Square(3, 16, 8, 4, 2),                      // batch 3, 16 channels, tiling exactly (the scatter backward)
        Pool2dShape.Square(1, 3, 7, 5, 2),                       // odd sizes: the last row and column in no window
    ];

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(3, false)]
    public void Pooling_forward_and_backward_match_float64_and_finite_differences(int shapeIndex, bool max)
    {
        var s = PoolShapes[shapeIndex];
        // Distinct values 0.01 apart (a shuffled ramp): every window has a unique maximum.
        var random = new Random(8);
        float[] x = Enumerable.Range(0, (int)s.InputSize).Select(i => i * 0.01f).OrderBy(_ => random.Next()).ToArray();
        float[] dy = Floats(9, (int)s.OutputSize);
        (float[] Y, float[] Dx) Run(ComputeDevice device)
        {
            using var xb = device.CreateBuffer<float>(x);
            using var yb = device.CreateBuffer<float>((int)s.OutputSize);
            using var argmax = device.CreateBuffer<int>((int)s.OutputSize);
            using var dyb = device.CreateBuffer<float>(dy);
            using var dx = device.CreateBuffer<float>(x.Length);
            if (max)
            {
                Ops.MaxPool2d(device, xb, yb, argmax, s);
                Ops.MaxPool2dBackward(device, dyb, argmax, dx, s);
            }
            else
            {
                Ops.AvgPool2d(device, xb, yb, s);
                Ops.AvgPool2dBackward(device, dyb, dx, s);
            }
            return (yb.Read(), dx.Read());
        }
        var cpu = Run(CpuOracle);
        string what = $"{(max ? "max" : "avg")} pool {s}";
        Close(Reference.Pool2d(ToDouble(x), s, max), cpu.Y, 1e-6, what);
        Close(GradCheck.Numeric(v => GradCheck.Dot(dy, Reference.Pool2d(v, s, max)), ToDouble(x), 1e-4), cpu.Dx, 1e-5, what + " dx");
        if (WebGpuTestDevice.SkipReason is null)
        {
            var gpu = Run(GpuDevice);
            Close(cpu.Y, gpu.Y, 1e-6, what + " WebGPU vs CPU");
            Close(cpu.Dx, gpu.Dx, 1e-6, what + " dx WebGPU vs CPU");
        }
    }

    [Fact]
    public void Max_pool_gradient_accumulates_with_beta()
    {
        foreach (var s in new[] { PoolShapes[3], PoolShapes[1] })
        {
            var random = new Random(10);
            float[] x = Enumerable.Range(0, (int)s.InputSize).Select(i => i * 0.01f).OrderBy(_ => random.Next()).ToArray();
            float[] dy = Floats(11, (int)s.OutputSize), old = Floats(12, x.Length);
            foreach (var device in WebGpuTestDevice.SkipReason is null ? new[] { CpuOracle, GpuDevice } : new[] { CpuOracle })
            {
                using var xb = device.CreateBuffer<float>(x);
                using var yb = device.CreateBuffer<float>((int)s.OutputSize);
                using var argmax = device.CreateBuffer<int>((int)s.OutputSize);
                using var dyb = device.CreateBuffer<float>(dy);
                using var dx = device.CreateBuffer<float>(x.Length);
                Ops.MaxPool2d(device, xb, yb, argmax, s);
                Ops.MaxPool2dBackward(device, dyb, argmax, dx, s);
                float[] once = dx.Read();
                using var dxOld = device.CreateBuffer<float>(old);
                Ops.MaxPool2dBackward(device, dyb, argmax, dxOld, s, 1f);
                Close(once.Select((v, i) => (double)v + old[i]).ToArray(), dxOld.Read(), 1e-6, $"max pool {s} beta 1 on {device.Backend}");
            }
        }
    }
}
