using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// 2D convolution (cross-correlation, as in every deep-learning library) over NCHW tensors with weights
/// [outChannels, inChannels, kernelH, kernelW], any stride and zero padding. Two routes, chosen by
/// <see cref="Ops.Conv2d"/>: direct kernels (one invocation per output, input gradient or weight gradient, each a
/// deterministic gather), and im2col: the receptive fields unrolled into a [inChannels*kH*kW, batch*outH*outW]
/// matrix so the convolution and both its gradients become matmuls, with <see cref="Col2Im"/> gathering the input
/// gradient back. The register-blocked direct kernels are in ConvKernels.Blocked.cs (CPU backend) and
/// ConvKernels.Wide.cs (WebGPU), the im2col/col2im gathers in ConvKernels.Im2Col.cs; <see cref="Ops.ChooseConv(ComputeDevice, Conv2dShape, ConvPass)"/>
/// picks one per pass and device.
/// </summary>
public static partial class ConvKernels
{
    /// <summary>
    /// y[n, co, oy, ox] = bias[co] + sum over ci, ky, kx of x[n, ci, oy*sy - py + ky, ox*sx - px + kx] * w[co, ci, ky, kx]
    /// (zero outside the input). Launch (outH*outW, outChannels, batch).
    /// </summary>
    [ComputeKernel(64)]
    public static void Forward(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> w, ReadOnlyBuffer<float> bias, ReadWriteBuffer<float> y,
        uint inChannels, uint height, uint width, uint outChannels, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW, bool hasBias)
    {
        uint p = GlobalId.X;
        uint co = GlobalId.Y;
        uint n = GlobalId.Z;
        if (p >= outH * outW || co >= outChannels) return;
        uint oy = p / outW;
        uint ox = p % outW;
        // Signed: the window starts above/left of the input when padded.
        int iy0 = (int)(oy * strideY) - (int)padY;
        int ix0 = (int)(ox * strideX) - (int)padX;
        float sum = hasBias ? bias[co] : 0f;
        for (uint ci = 0; ci < inChannels; ci++)
        {
            uint xPlane = (n * inChannels + ci) * height * width;
            uint wBase = (co * inChannels + ci) * kernelH * kernelW;
            for (uint ky = 0; ky < kernelH; ky++)
            {
                int iy = iy0 + (int)ky;
                if (iy < 0 || iy >= (int)height) continue;
                for (uint kx = 0; kx < kernelW; kx++)
                {
                    int ix = ix0 + (int)kx;
                    if (ix < 0 || ix >= (int)width) continue;
                    sum += x[xPlane + (uint)iy * width + (uint)ix] * w[wBase + ky * kernelW + kx];
                }
            }
        }
        y[(n * outChannels + co) * outH * outW + p] = sum;
    }

    /// <summary>
    /// dx[n, ci, iy, ix] = sum of dy[n, co, oy, ox] * w[co, ci, ky, kx] over the outputs whose window covers
    /// (iy, ix): oy = (iy + py - ky) / sy where that division is exact and in range. A gather, so no two invocations
    /// write the same element. beta = 1 accumulates. Launch (height*width, inChannels, batch).
    /// </summary>
    [ComputeKernel(64)]
    public static void GradInput(ReadOnlyBuffer<float> dy, ReadOnlyBuffer<float> w, ReadWriteBuffer<float> dx,
        uint inChannels, uint height, uint width, uint outChannels, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW, float beta)
    {
        uint p = GlobalId.X;
        uint ci = GlobalId.Y;
        uint n = GlobalId.Z;
        if (p >= height * width || ci >= inChannels) return;
        uint iy = p / width;
        uint ix = p % width;
        float sum = 0f;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            uint oy = Windows.OutputAt(iy, padY, ky, strideY, outH);
            if (oy == Windows.None) continue;
            for (uint kx = 0; kx < kernelW; kx++)
            {
                uint ox = Windows.OutputAt(ix, padX, kx, strideX, outW);
                if (ox == Windows.None) continue;
                for (uint co = 0; co < outChannels; co++)
                    sum += dy[((n * outChannels + co) * outH + oy) * outW + ox] * w[((co * inChannels + ci) * kernelH + ky) * kernelW + kx];
            }
        }
        uint index = (n * inChannels + ci) * height * width + p;
        if (beta != 0f) sum += beta * dx[index];
        dx[index] = sum;
    }

    /// <summary>
    /// dw[co, ci, ky, kx] = sum over n, oy, ox of dy[n, co, oy, ox] * x[n, ci, oy*sy - py + ky, ox*sx - px + kx], one
    /// invocation per weight, in order: deterministic. beta = 1 accumulates. Launch (inChannels*kernelH*kernelW, outChannels).
    /// </summary>
    [ComputeKernel(64)]
    public static void GradWeight(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> dy, ReadWriteBuffer<float> dw,
        uint batch, uint inChannels, uint height, uint width, uint outChannels, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW, float beta)
    {
        uint q = GlobalId.X;
        uint co = GlobalId.Y;
        uint taps = kernelH * kernelW;
        if (q >= inChannels * taps || co >= outChannels) return;
        uint ci = q / taps;
        uint ky = (q % taps) / kernelW;
        uint kx = q % kernelW;
        float sum = 0f;
        for (uint n = 0; n < batch; n++)
        {
            uint xPlane = (n * inChannels + ci) * height * width;
            uint dyPlane = (n * outChannels + co) * outH * outW;
            for (uint oy = 0; oy < outH; oy++)
            {
                int iy = (int)(oy * strideY + ky) - (int)padY;
                if (iy < 0 || iy >= (int)height) continue;
                for (uint ox = 0; ox < outW; ox++)
                {
                    int ix = (int)(ox * strideX + kx) - (int)padX;
                    if (ix < 0 || ix >= (int)width) continue;
                    sum += dy[dyPlane + oy * outW + ox] * x[xPlane + (uint)iy * width + (uint)ix];
                }
            }
        }
        uint index = co * inChannels * taps + q;
        if (beta != 0f) sum += beta * dw[index];
        dw[index] = sum;
    }
}
