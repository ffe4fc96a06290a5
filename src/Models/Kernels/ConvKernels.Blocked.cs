using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

// Register-blocked direct convolutions: 8 channels per invocation, lane-uniform tap loops (the CPU backend runs four invocations together).
public static partial class ConvKernels
{
    /// <summary>Output channels (forward), input channels (input gradient) or output channels (weight gradient) per invocation of the blocked kernels.</summary>
    public const uint Block = 8;

    /// <summary>
    /// The forward pass, register-blocked: one invocation per output column (n, oy, ox) and <see cref="Block"/> output
    /// channels, looping over the taps (ky, kx) and then the input channels with bounds the same for every invocation
    /// (the CPU backend runs 4 neighbouring columns as lanes; lavapipe broadcasts the weight loads), padding as a
    /// select on a clamped index. Launch (batch*outH*outW, ceil(outChannels / Block)).
    /// </summary>
    [ComputeKernel(64)]
    public static void ForwardBlocked(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> w, ReadOnlyBuffer<float> bias, ReadWriteBuffer<float> y,
        uint batch, uint inChannels, uint height, uint width, uint outChannels, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW, bool hasBias)
    {
        uint column = GlobalId.X;
        uint co0 = GlobalId.Y * Block;
        uint spatial = outH * outW;
        if (column >= batch * spatial || co0 >= outChannels) return;
        uint n = column / spatial;
        uint p = column % spatial;
        int iy0 = (int)((p / outW) * strideY) - (int)padY;
        int ix0 = (int)((p % outW) * strideX) - (int)padX;
        uint taps = kernelH * kernelW;
        uint plane = height * width;
        uint wStride = inChannels * taps;
        uint last = outChannels - 1u;
        uint w0 = Math.Min(co0 + 0u, last) * wStride;
        uint w1 = Math.Min(co0 + 1u, last) * wStride;
        uint w2 = Math.Min(co0 + 2u, last) * wStride;
        uint w3 = Math.Min(co0 + 3u, last) * wStride;
        uint w4 = Math.Min(co0 + 4u, last) * wStride;
        uint w5 = Math.Min(co0 + 5u, last) * wStride;
        uint w6 = Math.Min(co0 + 6u, last) * wStride;
        uint w7 = Math.Min(co0 + 7u, last) * wStride;
        float s0 = hasBias ? bias[Math.Min(co0 + 0u, last)] : 0f;
        float s1 = hasBias ? bias[Math.Min(co0 + 1u, last)] : 0f;
        float s2 = hasBias ? bias[Math.Min(co0 + 2u, last)] : 0f;
        float s3 = hasBias ? bias[Math.Min(co0 + 3u, last)] : 0f;
        float s4 = hasBias ? bias[Math.Min(co0 + 4u, last)] : 0f;
        float s5 = hasBias ? bias[Math.Min(co0 + 5u, last)] : 0f;
        float s6 = hasBias ? bias[Math.Min(co0 + 6u, last)] : 0f;
        float s7 = hasBias ? bias[Math.Min(co0 + 7u, last)] : 0f;
        uint xImage = n * inChannels * plane;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            int iy = iy0 + (int)ky;
            bool rowInside = iy >= 0 && iy < (int)height;
            for (uint kx = 0; kx < kernelW; kx++)
            {
                int ix = ix0 + (int)kx;
                bool inside = rowInside && ix >= 0 && ix < (int)width;
                uint xi = inside ? xImage + (uint)iy * width + (uint)ix : 0u;
                uint t = ky * kernelW + kx;
                for (uint ci = 0; ci < inChannels; ci++)
                {
                    float v = x[xi + ci * plane];
                    v = inside ? v : 0f;
                    uint wi = ci * taps + t;
                    s0 += v * w[w0 + wi];
                    s1 += v * w[w1 + wi];
                    s2 += v * w[w2 + wi];
                    s3 += v * w[w3 + wi];
                    s4 += v * w[w4 + wi];
                    s5 += v * w[w5 + wi];
                    s6 += v * w[w6 + wi];
                    s7 += v * w[w7 + wi];
                }
            }
        }
        uint o = (n * outChannels + co0) * spatial + p;
        y[o] = s0;
        if (co0 + 1u < outChannels) y[o + 1u * spatial] = s1;
        if (co0 + 2u < outChannels) y[o + 2u * spatial] = s2;
        if (co0 + 3u < outChannels) y[o + 3u * spatial] = s3;
        if (co0 + 4u < outChannels) y[o + 4u * spatial] = s4;
        if (co0 + 5u < outChannels) y[o + 5u * spatial] = s5;
        if (co0 + 6u < outChannels) y[o + 6u * spatial] = s6;
        if (co0 + 7u < outChannels) y[o + 7u * spatial] = s7;
    }

    /// <summary>
    /// The input gradient, register-blocked like <see cref="ForwardBlocked"/>: one invocation per input column
    /// (n, iy, ix) and <see cref="Block"/> input channels, looping over the taps and then the output channels.
    /// oy = (iy + py - ky) / sy where exact and in range, else the tap contributes 0. beta = 1 accumulates. Launch
    /// (batch*height*width, ceil(inChannels / Block)).
    /// </summary>
    [ComputeKernel(64)]
    public static void GradInputBlocked(ReadOnlyBuffer<float> dy, ReadOnlyBuffer<float> w, ReadWriteBuffer<float> dx,
        uint batch, uint inChannels, uint height, uint width, uint outChannels, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW, float beta)
    {
        uint column = GlobalId.X;
        uint ci0 = GlobalId.Y * Block;
        uint plane = height * width;
        if (column >= batch * plane || ci0 >= inChannels) return;
        uint n = column / plane;
        uint p = column % plane;
        int ty0 = (int)(p / width + padY);
        int tx0 = (int)(p % width + padX);
        uint taps = kernelH * kernelW;
        uint spatial = outH * outW;
        uint coStride = inChannels * taps;
        uint last = inChannels - 1u;
        uint w0 = Math.Min(ci0 + 0u, last) * taps;
        uint w1 = Math.Min(ci0 + 1u, last) * taps;
        uint w2 = Math.Min(ci0 + 2u, last) * taps;
        uint w3 = Math.Min(ci0 + 3u, last) * taps;
        uint w4 = Math.Min(ci0 + 4u, last) * taps;
        uint w5 = Math.Min(ci0 + 5u, last) * taps;
        uint w6 = Math.Min(ci0 + 6u, last) * taps;
        uint w7 = Math.Min(ci0 + 7u, last) * taps;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        uint dyImage = n * outChannels * spatial;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            int ty = ty0 - (int)ky;
            uint oy = ty >= 0 ? (uint)ty : 0u;
            if (strideY != 1u) oy = oy / strideY;
            bool rowInside = ty >= 0 && oy * strideY == (uint)ty && oy < outH;
            for (uint kx = 0; kx < kernelW; kx++)
            {
                int tx = tx0 - (int)kx;
                uint ox = tx >= 0 ? (uint)tx : 0u;
                if (strideX != 1u) ox = ox / strideX;
                bool inside = rowInside && tx >= 0 && ox * strideX == (uint)tx && ox < outW;
                uint di = inside ? dyImage + oy * outW + ox : 0u;
                uint t = ky * kernelW + kx;
                for (uint co = 0; co < outChannels; co++)
                {
                    float g = dy[di + co * spatial];
                    g = inside ? g : 0f;
                    uint wi = co * coStride + t;
                    s0 += g * w[w0 + wi];
                    s1 += g * w[w1 + wi];
                    s2 += g * w[w2 + wi];
                    s3 += g * w[w3 + wi];
                    s4 += g * w[w4 + wi];
                    s5 += g * w[w5 + wi];
                    s6 += g * w[w6 + wi];
                    s7 += g * w[w7 + wi];
                }
            }
        }
        uint index = (n * inChannels + ci0) * plane + p;
        if (ci0 + 0u < inChannels)
        {
            if (beta != 0f) s0 += beta * dx[index + 0u * plane];
            dx[index + 0u * plane] = s0;
        }
        if (ci0 + 1u < inChannels)
        {
            if (beta != 0f) s1 += beta * dx[index + 1u * plane];
            dx[index + 1u * plane] = s1;
        }
        if (ci0 + 2u < inChannels)
        {
            if (beta != 0f) s2 += beta * dx[index + 2u * plane];
            dx[index + 2u * plane] = s2;
        }
        if (ci0 + 3u < inChannels)
        {
            if (beta != 0f) s3 += beta * dx[index + 3u * plane];
            dx[index + 3u * plane] = s3;
        }
        if (ci0 + 4u < inChannels)
        {
            if (beta != 0f) s4 += beta * dx[index + 4u * plane];
            dx[index + 4u * plane] = s4;
        }
        if (ci0 + 5u < inChannels)
        {
            if (beta != 0f) s5 += beta * dx[index + 5u * plane];
            dx[index + 5u * plane] = s5;
        }
        if (ci0 + 6u < inChannels)
        {
            if (beta != 0f) s6 += beta * dx[index + 6u * plane];
            dx[index + 6u * plane] = s6;
        }
        if (ci0 + 7u < inChannels)
        {
            if (beta != 0f) s7 += beta * dx[index + 7u * plane];
            dx[index + 7u * plane] = s7;
        }
    }

    /// <summary>
    /// The weight gradient over a slice of the batch, register-blocked: one invocation per weight column
    /// (ci, ky, kx) and <see cref="Block"/> output channels, looping over images n0..n1 of split GlobalId.Z and the
    /// output positions (bounds the same for every invocation; the dy loads are shared). Writes
    /// partials[split, co, ci*kH*kW + tap] (plus beta times the old value: with one split that is dw itself). Launch
    /// (inChannels*kH*kW, ceil(outChannels / Block), splits).
    /// </summary>
    [ComputeKernel(64)]
    public static void GradWeightBlocked(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> dy, ReadWriteBuffer<float> partials,
        uint batch, uint inChannels, uint height, uint width, uint outChannels, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW, uint imagesPerSplit, float beta)
    {
        uint q = GlobalId.X;
        uint co0 = GlobalId.Y * Block;
        uint split = GlobalId.Z;
        uint taps = kernelH * kernelW;
        uint rows = inChannels * taps;
        if (q >= rows || co0 >= outChannels) return;
        uint ci = q / taps;
        uint ky = (q % taps) / kernelW;
        uint kx = q % kernelW;
        uint plane = height * width;
        uint spatial = outH * outW;
        uint last = outChannels - 1u;
        uint d0 = Math.Min(co0 + 0u, last) * spatial;
        uint d1 = Math.Min(co0 + 1u, last) * spatial;
        uint d2 = Math.Min(co0 + 2u, last) * spatial;
        uint d3 = Math.Min(co0 + 3u, last) * spatial;
        uint d4 = Math.Min(co0 + 4u, last) * spatial;
        uint d5 = Math.Min(co0 + 5u, last) * spatial;
        uint d6 = Math.Min(co0 + 6u, last) * spatial;
        uint d7 = Math.Min(co0 + 7u, last) * spatial;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        uint n0 = split * imagesPerSplit;
        uint n1 = Math.Min(n0 + imagesPerSplit, batch);
        for (uint n = n0; n < n1; n++)
        {
            uint xPlane = (n * inChannels + ci) * plane;
            uint dyImage = n * outChannels * spatial;
            for (uint oy = 0; oy < outH; oy++)
            {
                int iy = (int)(oy * strideY + ky) - (int)padY;
                bool rowInside = iy >= 0 && iy < (int)height;
                uint dyRow = dyImage + oy * outW;
                for (uint ox = 0; ox < outW; ox++)
                {
                    int ix = (int)(ox * strideX + kx) - (int)padX;
                    bool inside = rowInside && ix >= 0 && ix < (int)width;
                    float v = x[inside ? xPlane + (uint)iy * width + (uint)ix : 0u];
                    v = inside ? v : 0f;
                    uint o = dyRow + ox;
                    s0 += v * dy[d0 + o];
                    s1 += v * dy[d1 + o];
                    s2 += v * dy[d2 + o];
                    s3 += v * dy[d3 + o];
                    s4 += v * dy[d4 + o];
                    s5 += v * dy[d5 + o];
                    s6 += v * dy[d6 + o];
                    s7 += v * dy[d7 + o];
                }
            }
        }
        uint index = (split * outChannels + co0) * rows + q;
        if (co0 + 0u < outChannels)
        {
            if (beta != 0f) s0 += beta * partials[index + 0u * rows];
            partials[index + 0u * rows] = s0;
        }
        if (co0 + 1u < outChannels)
        {
            if (beta != 0f) s1 += beta * partials[index + 1u * rows];
            partials[index + 1u * rows] = s1;
        }
        if (co0 + 2u < outChannels)
        {
            if (beta != 0f) s2 += beta * partials[index + 2u * rows];
            partials[index + 2u * rows] = s2;
        }
        if (co0 + 3u < outChannels)
        {
            if (beta != 0f) s3 += beta * partials[index + 3u * rows];
            partials[index + 3u * rows] = s3;
        }
        if (co0 + 4u < outChannels)
        {
            if (beta != 0f) s4 += beta * partials[index + 4u * rows];
            partials[index + 4u * rows] = s4;
        }
        if (co0 + 5u < outChannels)
        {
            if (beta != 0f) s5 += beta * partials[index + 5u * rows];
            partials[index + 5u * rows] = s5;
        }
        if (co0 + 6u < outChannels)
        {
            if (beta != 0f) s6 += beta * partials[index + 6u * rows];
            partials[index + 6u * rows] = s6;
        }
        if (co0 + 7u < outChannels)
        {
            if (beta != 0f) s7 += beta * partials[index + 7u * rows];
            partials[index + 7u * rows] = s7;
        }
    }
}
