using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// Max and average pooling over NCHW tensors (window kernelH x kernelW, any stride and padding), forward and
/// backward. Planes = batch * channels. The backward passes gather per input element over the windows that cover
/// it, so they are deterministic without atomics.
/// </summary>
public static partial class PoolKernels
{
    /// <summary>
    /// y = the maximum of each window (padding never wins), and argmax = its index iy*width + ix in the plane (the
    /// first maximum in window order; -1 for a window entirely in the padding, whose output is 0). Launch
    /// (outH*outW, planes).
    /// </summary>
    [ComputeKernel(64, 4)]
    public static void MaxForward(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y, ReadWriteBuffer<int> argmax,
        uint planes, uint height, uint width, uint kernelH, uint kernelW, uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW)
    {
        uint p = GlobalId.X;
        uint plane = GlobalId.Y;
        if (p >= outH * outW || plane >= planes) return;
        int iy0 = (int)((p / outW) * strideY) - (int)padY;
        int ix0 = (int)((p % outW) * strideX) - (int)padX;
        uint xPlane = plane * height * width;
        float best = float.NegativeInfinity;
        int bestIndex = -1;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            int iy = iy0 + (int)ky;
            if (iy < 0 || iy >= (int)height) continue;
            for (uint kx = 0; kx < kernelW; kx++)
            {
                int ix = ix0 + (int)kx;
                if (ix < 0 || ix >= (int)width) continue;
                int index = iy * (int)width + ix;
                float v = x[xPlane + (uint)index];
                if (bestIndex < 0 || v > best)
                {
                    best = v;
                    bestIndex = index;
                }
            }
        }
        uint o = plane * outH * outW + p;
        y[o] = bestIndex < 0 ? 0f : best;
        argmax[o] = bestIndex;
    }

    /// <summary>
    /// dx[plane, iy, ix] = sum of dy over the windows whose argmax is this element. Launch (height*width, planes).
    /// </summary>
    [ComputeKernel(64, 4)]
    public static void MaxBackward(ReadOnlyBuffer<float> dy, ReadOnlyBuffer<int> argmax, ReadWriteBuffer<float> dx,
        uint planes, uint height, uint width, uint kernelH, uint kernelW, uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW,
        float beta)
    {
        uint p = GlobalId.X;
        uint plane = GlobalId.Y;
        if (p >= height * width || plane >= planes) return;
        uint iy = p / width;
        uint ix = p % width;
        uint outPlane = plane * outH * outW;
        float sum = 0f;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            uint oy = Windows.OutputAt(iy, padY, ky, strideY, outH);
            if (oy == Windows.None) continue;
            for (uint kx = 0; kx < kernelW; kx++)
            {
                uint ox = Windows.OutputAt(ix, padX, kx, strideX, outW);
                if (ox == Windows.None) continue;
                uint o = outPlane + oy * outW + ox;
                if (argmax[o] == (int)p) sum += dy[o];
            }
        }
        uint index = plane * height * width + p;
        if (beta != 0f) sum += beta * dx[index];
        dx[index] = sum;
    }

    /// <summary>
    /// <see cref="MaxBackward"/> for windows that tile the input exactly (stride = window, no padding, sizes
    /// multiples of the window: every element in exactly one window): one invocation per output writes its whole
    /// window, dy where the argmax is and 0 elsewhere (plus beta times the old value), so nothing is searched.
    /// Launch (outH*outW, planes).
    /// </summary>
    [ComputeKernel(64, 4)]
    public static void MaxBackwardTiled(ReadOnlyBuffer<float> dy, ReadOnlyBuffer<int> argmax, ReadWriteBuffer<float> dx,
        uint planes, uint height, uint width, uint kernelH, uint kernelW, uint outH, uint outW, float beta)
    {
        uint p = GlobalId.X;
        uint plane = GlobalId.Y;
        if (p >= outH * outW || plane >= planes) return;
        uint o = plane * outH * outW + p;
        float g = dy[o];
        int best = argmax[o];
        uint iy0 = (p / outW) * kernelH;
        uint ix0 = (p % outW) * kernelW;
        uint xPlane = plane * height * width;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            for (uint kx = 0; kx < kernelW; kx++)
            {
                uint e = (iy0 + ky) * width + ix0 + kx;
                float v = (int)e == best ? g : 0f;
                if (beta != 0f) v += beta * dx[xPlane + e];
                dx[xPlane + e] = v;
            }
        }
    }

    /// <summary>
    /// y = the mean of each window over the elements inside the input (padding is not counted, PyTorch's
    /// count_include_pad = false; a window entirely in the padding gives 0). Launch (outH*outW, planes).
    /// </summary>
    [ComputeKernel(64, 4)]
    public static void AvgForward(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> y,
        uint planes, uint height, uint width, uint kernelH, uint kernelW, uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW)
    {
        uint p = GlobalId.X;
        uint plane = GlobalId.Y;
        if (p >= outH * outW || plane >= planes) return;
        uint oy = p / outW;
        uint ox = p % outW;
        uint xPlane = plane * height * width;
        float sum = 0f;
        uint count = WindowCount(oy, ox, height, width, kernelH, kernelW, strideY, strideX, padY, padX);
        int iy0 = (int)(oy * strideY) - (int)padY;
        int ix0 = (int)(ox * strideX) - (int)padX;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            int iy = iy0 + (int)ky;
            if (iy < 0 || iy >= (int)height) continue;
            for (uint kx = 0; kx < kernelW; kx++)
            {
                int ix = ix0 + (int)kx;
                if (ix < 0 || ix >= (int)width) continue;
                sum += x[xPlane + (uint)iy * width + (uint)ix];
            }
        }
        y[plane * outH * outW + p] = count > 0u ? sum / count : 0f;
    }

    /// <summary>dx[plane, iy, ix] = sum of dy / count over the windows covering the element. Launch (height*width, planes).</summary>
    [ComputeKernel(64, 4)]
    public static void AvgBackward(ReadOnlyBuffer<float> dy, ReadWriteBuffer<float> dx,
        uint planes, uint height, uint width, uint kernelH, uint kernelW, uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW,
        float beta)
    {
        uint p = GlobalId.X;
        uint plane = GlobalId.Y;
        if (p >= height * width || plane >= planes) return;
        uint iy = p / width;
        uint ix = p % width;
        uint outPlane = plane * outH * outW;
        float sum = 0f;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            uint oy = Windows.OutputAt(iy, padY, ky, strideY, outH);
            if (oy == Windows.None) continue;
            for (uint kx = 0; kx < kernelW; kx++)
            {
                uint ox = Windows.OutputAt(ix, padX, kx, strideX, outW);
                if (ox == Windows.None) continue;
                uint count = WindowCount(oy, ox, height, width, kernelH, kernelW, strideY, strideX, padY, padX);
                sum += dy[outPlane + oy * outW + ox] / count;
            }
        }
        uint index = plane * height * width + p;
        if (beta != 0f) sum += beta * dx[index];
        dx[index] = sum;
    }

    /// <summary>How many elements of window (oy, ox) lie inside the input.</summary>
    private static uint WindowCount(uint oy, uint ox, uint height, uint width, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX)
    {
        int y0 = (int)(oy * strideY) - (int)padY;
        int x0 = (int)(ox * strideX) - (int)padX;
        int rows = Math.Min(y0 + (int)kernelH, (int)height) - Math.Max(y0, 0);
        int cols = Math.Min(x0 + (int)kernelW, (int)width) - Math.Max(x0, 0);
        return rows > 0 && cols > 0 ? (uint)(rows * cols) : 0u;
    }
}
