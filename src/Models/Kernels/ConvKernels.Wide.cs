using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

// The blocked direct convolutions for WebGPU: 4 columns x 8 channels per invocation.
public static partial class ConvKernels
{
    /// <summary>
    /// <see cref="ForwardBlocked"/> with 4 consecutive output columns per invocation as well (4 x <see cref="Block"/>
    /// sums: 12 loads for 32 multiply-adds), for WebGPU, where the invocations are not already run as lanes. Launch
    /// (ceil(batch*outH*outW / 4), ceil(outChannels / Block)).
    /// </summary>
    [ComputeKernel(64)]
    public static void ForwardWide(ReadOnlyBuffer<float> x, ReadOnlyBuffer<float> w, ReadOnlyBuffer<float> bias, ReadWriteBuffer<float> y,
        uint batch, uint inChannels, uint height, uint width, uint outChannels, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW, bool hasBias)
    {
        uint first = GlobalId.X * 4u;
        uint co0 = GlobalId.Y * Block;
        uint spatial = outH * outW;
        uint columns = batch * spatial;
        if (first >= columns || co0 >= outChannels) return;
        uint taps = kernelH * kernelW;
        uint plane = height * width;
        uint wStride = inChannels * taps;
        uint last = outChannels - 1u;
        uint col0 = Math.Min(first + 0u, columns - 1u);
        uint n0 = col0 / spatial;
        uint p0 = col0 % spatial;
        int iy0 = (int)((p0 / outW) * strideY) - (int)padY;
        int ix0 = (int)((p0 % outW) * strideX) - (int)padX;
        uint xImage0 = n0 * inChannels * plane;
        uint col1 = Math.Min(first + 1u, columns - 1u);
        uint n1 = col1 / spatial;
        uint p1 = col1 % spatial;
        int iy1 = (int)((p1 / outW) * strideY) - (int)padY;
        int ix1 = (int)((p1 % outW) * strideX) - (int)padX;
        uint xImage1 = n1 * inChannels * plane;
        uint col2 = Math.Min(first + 2u, columns - 1u);
        uint n2 = col2 / spatial;
        uint p2 = col2 % spatial;
        int iy2 = (int)((p2 / outW) * strideY) - (int)padY;
        int ix2 = (int)((p2 % outW) * strideX) - (int)padX;
        uint xImage2 = n2 * inChannels * plane;
        uint col3 = Math.Min(first + 3u, columns - 1u);
        uint n3 = col3 / spatial;
        uint p3 = col3 % spatial;
        int iy3 = (int)((p3 / outW) * strideY) - (int)padY;
        int ix3 = (int)((p3 % outW) * strideX) - (int)padX;
        uint xImage3 = n3 * inChannels * plane;
        uint w0 = Math.Min(co0 + 0u, last) * wStride;
        uint w1 = Math.Min(co0 + 1u, last) * wStride;
        uint w2 = Math.Min(co0 + 2u, last) * wStride;
        uint w3 = Math.Min(co0 + 3u, last) * wStride;
        uint w4 = Math.Min(co0 + 4u, last) * wStride;
        uint w5 = Math.Min(co0 + 5u, last) * wStride;
        uint w6 = Math.Min(co0 + 6u, last) * wStride;
        uint w7 = Math.Min(co0 + 7u, last) * wStride;
        float b0 = hasBias ? bias[Math.Min(co0 + 0u, last)] : 0f;
        float b1 = hasBias ? bias[Math.Min(co0 + 1u, last)] : 0f;
        float b2 = hasBias ? bias[Math.Min(co0 + 2u, last)] : 0f;
        float b3 = hasBias ? bias[Math.Min(co0 + 3u, last)] : 0f;
        float b4 = hasBias ? bias[Math.Min(co0 + 4u, last)] : 0f;
        float b5 = hasBias ? bias[Math.Min(co0 + 5u, last)] : 0f;
        float b6 = hasBias ? bias[Math.Min(co0 + 6u, last)] : 0f;
        float b7 = hasBias ? bias[Math.Min(co0 + 7u, last)] : 0f;
        float s00 = b0; float s01 = b0; float s02 = b0; float s03 = b0;
        float s10 = b1; float s11 = b1; float s12 = b1; float s13 = b1;
        float s20 = b2; float s21 = b2; float s22 = b2; float s23 = b2;
        float s30 = b3; float s31 = b3; float s32 = b3; float s33 = b3;
        float s40 = b4; float s41 = b4; float s42 = b4; float s43 = b4;
        float s50 = b5; float s51 = b5; float s52 = b5; float s53 = b5;
        float s60 = b6; float s61 = b6; float s62 = b6; float s63 = b6;
        float s70 = b7; float s71 = b7; float s72 = b7; float s73 = b7;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            for (uint kx = 0; kx < kernelW; kx++)
            {
                int y0 = iy0 + (int)ky;
                int x0 = ix0 + (int)kx;
                bool in0 = y0 >= 0 && y0 < (int)height && x0 >= 0 && x0 < (int)width;
                uint xi0 = in0 ? xImage0 + (uint)y0 * width + (uint)x0 : 0u;
                int y1 = iy1 + (int)ky;
                int x1 = ix1 + (int)kx;
                bool in1 = y1 >= 0 && y1 < (int)height && x1 >= 0 && x1 < (int)width;
                uint xi1 = in1 ? xImage1 + (uint)y1 * width + (uint)x1 : 0u;
                int y2 = iy2 + (int)ky;
                int x2 = ix2 + (int)kx;
                bool in2 = y2 >= 0 && y2 < (int)height && x2 >= 0 && x2 < (int)width;
                uint xi2 = in2 ? xImage2 + (uint)y2 * width + (uint)x2 : 0u;
                int y3 = iy3 + (int)ky;
                int x3 = ix3 + (int)kx;
                bool in3 = y3 >= 0 && y3 < (int)height && x3 >= 0 && x3 < (int)width;
                uint xi3 = in3 ? xImage3 + (uint)y3 * width + (uint)x3 : 0u;
                uint t = ky * kernelW + kx;
                for (uint ci = 0; ci < inChannels; ci++)
                {
                    uint offset = ci * plane;
                    float v0 = in0 ? x[xi0 + offset] : 0f;
                    float v1 = in1 ? x[xi1 + offset] : 0f;
                    float v2 = in2 ? x[xi2 + offset] : 0f;
                    float v3 = in3 ? x[xi3 + offset] : 0f;
                    uint wi = ci * taps + t;
                    float u0 = w[w0 + wi];
                    s00 += v0 * u0; s01 += v1 * u0; s02 += v2 * u0; s03 += v3 * u0;
                    float u1 = w[w1 + wi];
                    s10 += v0 * u1; s11 += v1 * u1; s12 += v2 * u1; s13 += v3 * u1;
                    float u2 = w[w2 + wi];
                    s20 += v0 * u2; s21 += v1 * u2; s22 += v2 * u2; s23 += v3 * u2;
                    float u3 = w[w3 + wi];
                    s30 += v0 * u3; s31 += v1 * u3; s32 += v2 * u3; s33 += v3 * u3;
                    float u4 = w[w4 + wi];
                    s40 += v0 * u4; s41 += v1 * u4; s42 += v2 * u4; s43 += v3 * u4;
                    float u5 = w[w5 + wi];
                    s50 += v0 * u5; s51 += v1 * u5; s52 += v2 * u5; s53 += v3 * u5;
                    float u6 = w[w6 + wi];
                    s60 += v0 * u6; s61 += v1 * u6; s62 += v2 * u6; s63 += v3 * u6;
                    float u7 = w[w7 + wi];
                    s70 += v0 * u7; s71 += v1 * u7; s72 += v2 * u7; s73 += v3 * u7;
                }
            }
        }
        if (first + 0u < columns)
        {
            uint o0 = (n0 * outChannels + co0) * spatial + p0;
            if (co0 + 0u < outChannels) y[o0 + 0u * spatial] = s00;
            if (co0 + 1u < outChannels) y[o0 + 1u * spatial] = s10;
            if (co0 + 2u < outChannels) y[o0 + 2u * spatial] = s20;
            if (co0 + 3u < outChannels) y[o0 + 3u * spatial] = s30;
            if (co0 + 4u < outChannels) y[o0 + 4u * spatial] = s40;
            if (co0 + 5u < outChannels) y[o0 + 5u * spatial] = s50;
            if (co0 + 6u < outChannels) y[o0 + 6u * spatial] = s60;
            if (co0 + 7u < outChannels) y[o0 + 7u * spatial] = s70;
        }
        if (first + 1u < columns)
        {
            uint o1 = (n1 * outChannels + co0) * spatial + p1;
            if (co0 + 0u < outChannels) y[o1 + 0u * spatial] = s01;
            if (co0 + 1u < outChannels) y[o1 + 1u * spatial] = s11;
            if (co0 + 2u < outChannels) y[o1 + 2u * spatial] = s21;
            if (co0 + 3u < outChannels) y[o1 + 3u * spatial] = s31;
            if (co0 + 4u < outChannels) y[o1 + 4u * spatial] = s41;
            if (co0 + 5u < outChannels) y[o1 + 5u * spatial] = s51;
            if (co0 + 6u < outChannels) y[o1 + 6u * spatial] = s61;
            if (co0 + 7u < outChannels) y[o1 + 7u * spatial] = s71;
        }
        if (first + 2u < columns)
        {
            uint o2 = (n2 * outChannels + co0) * spatial + p2;
            if (co0 + 0u < outChannels) y[o2 + 0u * spatial] = s02;
            if (co0 + 1u < outChannels) y[o2 + 1u * spatial] = s12;
            if (co0 + 2u < outChannels) y[o2 + 2u * spatial] = s22;
            if (co0 + 3u < outChannels) y[o2 + 3u * spatial] = s32;
            if (co0 + 4u < outChannels) y[o2 + 4u * spatial] = s42;
            if (co0 + 5u < outChannels) y[o2 + 5u * spatial] = s52;
            if (co0 + 6u < outChannels) y[o2 + 6u * spatial] = s62;
            if (co0 + 7u < outChannels) y[o2 + 7u * spatial] = s72;
        }
        if (first + 3u < columns)
        {
            uint o3 = (n3 * outChannels + co0) * spatial + p3;
            if (co0 + 0u < outChannels) y[o3 + 0u * spatial] = s03;
            if (co0 + 1u < outChannels) y[o3 + 1u * spatial] = s13;
            if (co0 + 2u < outChannels) y[o3 + 2u * spatial] = s23;
            if (co0 + 3u < outChannels) y[o3 + 3u * spatial] = s33;
            if (co0 + 4u < outChannels) y[o3 + 4u * spatial] = s43;
            if (co0 + 5u < outChannels) y[o3 + 5u * spatial] = s53;
            if (co0 + 6u < outChannels) y[o3 + 6u * spatial] = s63;
            if (co0 + 7u < outChannels) y[o3 + 7u * spatial] = s73;
        }
    }

    /// <summary>
    /// <see cref="GradInputBlocked"/> with 4 consecutive input columns per invocation as well, for WebGPU (see
    /// <see cref="ForwardWide"/>). beta = 1 accumulates. Launch (ceil(batch*height*width / 4), ceil(inChannels / Block)).
    /// </summary>
    [ComputeKernel(64)]
    public static void GradInputWide(ReadOnlyBuffer<float> dy, ReadOnlyBuffer<float> w, ReadWriteBuffer<float> dx,
        uint batch, uint inChannels, uint height, uint width, uint outChannels, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW, float beta)
    {
        uint first = GlobalId.X * 4u;
        uint ci0 = GlobalId.Y * Block;
        uint plane = height * width;
        uint columns = batch * plane;
        if (first >= columns || ci0 >= inChannels) return;
        uint taps = kernelH * kernelW;
        uint spatial = outH * outW;
        uint coStride = inChannels * taps;
        uint last = inChannels - 1u;
        uint col0 = Math.Min(first + 0u, columns - 1u);
        uint n0 = col0 / plane;
        uint p0 = col0 % plane;
        int ty0 = (int)(p0 / width + padY);
        int tx0 = (int)(p0 % width + padX);
        uint dyImage0 = n0 * outChannels * spatial;
        uint col1 = Math.Min(first + 1u, columns - 1u);
        uint n1 = col1 / plane;
        uint p1 = col1 % plane;
        int ty1 = (int)(p1 / width + padY);
        int tx1 = (int)(p1 % width + padX);
        uint dyImage1 = n1 * outChannels * spatial;
        uint col2 = Math.Min(first + 2u, columns - 1u);
        uint n2 = col2 / plane;
        uint p2 = col2 % plane;
        int ty2 = (int)(p2 / width + padY);
        int tx2 = (int)(p2 % width + padX);
        uint dyImage2 = n2 * outChannels * spatial;
        uint col3 = Math.Min(first + 3u, columns - 1u);
        uint n3 = col3 / plane;
        uint p3 = col3 % plane;
        int ty3 = (int)(p3 / width + padY);
        int tx3 = (int)(p3 % width + padX);
        uint dyImage3 = n3 * outChannels * spatial;
        uint w0 = Math.Min(ci0 + 0u, last) * taps;
        uint w1 = Math.Min(ci0 + 1u, last) * taps;
        uint w2 = Math.Min(ci0 + 2u, last) * taps;
        uint w3 = Math.Min(ci0 + 3u, last) * taps;
        uint w4 = Math.Min(ci0 + 4u, last) * taps;
        uint w5 = Math.Min(ci0 + 5u, last) * taps;
        uint w6 = Math.Min(ci0 + 6u, last) * taps;
        uint w7 = Math.Min(ci0 + 7u, last) * taps;
        float s00 = 0f; float s01 = 0f; float s02 = 0f; float s03 = 0f;
        float s10 = 0f; float s11 = 0f; float s12 = 0f; float s13 = 0f;
        float s20 = 0f; float s21 = 0f; float s22 = 0f; float s23 = 0f;
        float s30 = 0f; float s31 = 0f; float s32 = 0f; float s33 = 0f;
        float s40 = 0f; float s41 = 0f; float s42 = 0f; float s43 = 0f;
        float s50 = 0f; float s51 = 0f; float s52 = 0f; float s53 = 0f;
        float s60 = 0f; float s61 = 0f; float s62 = 0f; float s63 = 0f;
        float s70 = 0f; float s71 = 0f; float s72 = 0f; float s73 = 0f;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            for (uint kx = 0; kx < kernelW; kx++)
            {
                int ay0 = ty0 - (int)ky;
                int ax0 = tx0 - (int)kx;
                uint oy0 = ay0 >= 0 ? (uint)ay0 : 0u;
                uint ox0 = ax0 >= 0 ? (uint)ax0 : 0u;
                if (strideY != 1u) oy0 = oy0 / strideY;
                if (strideX != 1u) ox0 = ox0 / strideX;
                bool in0 = ay0 >= 0 && ax0 >= 0 && oy0 * strideY == (uint)ay0 && ox0 * strideX == (uint)ax0 && oy0 < outH && ox0 < outW;
                uint di0 = in0 ? dyImage0 + oy0 * outW + ox0 : 0u;
                int ay1 = ty1 - (int)ky;
                int ax1 = tx1 - (int)kx;
                uint oy1 = ay1 >= 0 ? (uint)ay1 : 0u;
                uint ox1 = ax1 >= 0 ? (uint)ax1 : 0u;
                if (strideY != 1u) oy1 = oy1 / strideY;
                if (strideX != 1u) ox1 = ox1 / strideX;
                bool in1 = ay1 >= 0 && ax1 >= 0 && oy1 * strideY == (uint)ay1 && ox1 * strideX == (uint)ax1 && oy1 < outH && ox1 < outW;
                uint di1 = in1 ? dyImage1 + oy1 * outW + ox1 : 0u;
                int ay2 = ty2 - (int)ky;
                int ax2 = tx2 - (int)kx;
                uint oy2 = ay2 >= 0 ? (uint)ay2 : 0u;
                uint ox2 = ax2 >= 0 ? (uint)ax2 : 0u;
                if (strideY != 1u) oy2 = oy2 / strideY;
                if (strideX != 1u) ox2 = ox2 / strideX;
                bool in2 = ay2 >= 0 && ax2 >= 0 && oy2 * strideY == (uint)ay2 && ox2 * strideX == (uint)ax2 && oy2 < outH && ox2 < outW;
                uint di2 = in2 ? dyImage2 + oy2 * outW + ox2 : 0u;
                int ay3 = ty3 - (int)ky;
                int ax3 = tx3 - (int)kx;
                uint oy3 = ay3 >= 0 ? (uint)ay3 : 0u;
                uint ox3 = ax3 >= 0 ? (uint)ax3 : 0u;
                if (strideY != 1u) oy3 = oy3 / strideY;
                if (strideX != 1u) ox3 = ox3 / strideX;
                bool in3 = ay3 >= 0 && ax3 >= 0 && oy3 * strideY == (uint)ay3 && ox3 * strideX == (uint)ax3 && oy3 < outH && ox3 < outW;
                uint di3 = in3 ? dyImage3 + oy3 * outW + ox3 : 0u;
                uint t = ky * kernelW + kx;
                for (uint co = 0; co < outChannels; co++)
                {
                    uint offset = co * spatial;
                    float g0 = in0 ? dy[di0 + offset] : 0f;
                    float g1 = in1 ? dy[di1 + offset] : 0f;
                    float g2 = in2 ? dy[di2 + offset] : 0f;
                    float g3 = in3 ? dy[di3 + offset] : 0f;
                    uint wi = co * coStride + t;
                    float u0 = w[w0 + wi];
                    s00 += g0 * u0; s01 += g1 * u0; s02 += g2 * u0; s03 += g3 * u0;
                    float u1 = w[w1 + wi];
                    s10 += g0 * u1; s11 += g1 * u1; s12 += g2 * u1; s13 += g3 * u1;
                    float u2 = w[w2 + wi];
                    s20 += g0 * u2; s21 += g1 * u2; s22 += g2 * u2; s23 += g3 * u2;
                    float u3 = w[w3 + wi];
                    s30 += g0 * u3; s31 += g1 * u3; s32 += g2 * u3; s33 += g3 * u3;
                    float u4 = w[w4 + wi];
                    s40 += g0 * u4; s41 += g1 * u4; s42 += g2 * u4; s43 += g3 * u4;
                    float u5 = w[w5 + wi];
                    s50 += g0 * u5; s51 += g1 * u5; s52 += g2 * u5; s53 += g3 * u5;
                    float u6 = w[w6 + wi];
                    s60 += g0 * u6; s61 += g1 * u6; s62 += g2 * u6; s63 += g3 * u6;
                    float u7 = w[w7 + wi];
                    s70 += g0 * u7; s71 += g1 * u7; s72 += g2 * u7; s73 += g3 * u7;
                }
            }
        }
        if (first + 0u < columns)
        {
            uint i0 = (n0 * inChannels + ci0) * plane + p0;
            if (ci0 + 0u < inChannels)
            {
                if (beta != 0f) s00 += beta * dx[i0 + 0u * plane];
                dx[i0 + 0u * plane] = s00;
            }
            if (ci0 + 1u < inChannels)
            {
                if (beta != 0f) s10 += beta * dx[i0 + 1u * plane];
                dx[i0 + 1u * plane] = s10;
            }
            if (ci0 + 2u < inChannels)
            {
                if (beta != 0f) s20 += beta * dx[i0 + 2u * plane];
                dx[i0 + 2u * plane] = s20;
            }
            if (ci0 + 3u < inChannels)
            {
                if (beta != 0f) s30 += beta * dx[i0 + 3u * plane];
                dx[i0 + 3u * plane] = s30;
            }
            if (ci0 + 4u < inChannels)
            {
                if (beta != 0f) s40 += beta * dx[i0 + 4u * plane];
                dx[i0 + 4u * plane] = s40;
            }
            if (ci0 + 5u < inChannels)
            {
                if (beta != 0f) s50 += beta * dx[i0 + 5u * plane];
                dx[i0 + 5u * plane] = s50;
            }
            if (ci0 + 6u < inChannels)
            {
                if (beta != 0f) s60 += beta * dx[i0 + 6u * plane];
                dx[i0 + 6u * plane] = s60;
            }
            if (ci0 + 7u < inChannels)
            {
                if (beta != 0f) s70 += beta * dx[i0 + 7u * plane];
                dx[i0 + 7u * plane] = s70;
            }
        }
        if (first + 1u < columns)
        {
            uint i1 = (n1 * inChannels + ci0) * plane + p1;
            if (ci0 + 0u < inChannels)
            {
                if (beta != 0f) s01 += beta * dx[i1 + 0u * plane];
                dx[i1 + 0u * plane] = s01;
            }
            if (ci0 + 1u < inChannels)
            {
                if (beta != 0f) s11 += beta * dx[i1 + 1u * plane];
                dx[i1 + 1u * plane] = s11;
            }
            if (ci0 + 2u < inChannels)
            {
                if (beta != 0f) s21 += beta * dx[i1 + 2u * plane];
                dx[i1 + 2u * plane] = s21;
            }
            if (ci0 + 3u < inChannels)
            {
                if (beta != 0f) s31 += beta * dx[i1 + 3u * plane];
                dx[i1 + 3u * plane] = s31;
            }
            if (ci0 + 4u < inChannels)
            {
                if (beta != 0f) s41 += beta * dx[i1 + 4u * plane];
                dx[i1 + 4u * plane] = s41;
            }
            if (ci0 + 5u < inChannels)
            {
                if (beta != 0f) s51 += beta * dx[i1 + 5u * plane];
                dx[i1 + 5u * plane] = s51;
            }
            if (ci0 + 6u < inChannels)
            {
                if (beta != 0f) s61 += beta * dx[i1 + 6u * plane];
                dx[i1 + 6u * plane] = s61;
            }
            if (ci0 + 7u < inChannels)
            {
                if (beta != 0f) s71 += beta * dx[i1 + 7u * plane];
                dx[i1 + 7u * plane] = s71;
            }
        }
        if (first + 2u < columns)
        {
            uint i2 = (n2 * inChannels + ci0) * plane + p2;
            if (ci0 + 0u < inChannels)
            {
                if (beta != 0f) s02 += beta * dx[i2 + 0u * plane];
                dx[i2 + 0u * plane] = s02;
            }
            if (ci0 + 1u < inChannels)
            {
                if (beta != 0f) s12 += beta * dx[i2 + 1u * plane];
                dx[i2 + 1u * plane] = s12;
            }
            if (ci0 + 2u < inChannels)
            {
                if (beta != 0f) s22 += beta * dx[i2 + 2u * plane];
                dx[i2 + 2u * plane] = s22;
            }
            if (ci0 + 3u < inChannels)
            {
                if (beta != 0f) s32 += beta * dx[i2 + 3u * plane];
                dx[i2 + 3u * plane] = s32;
            }
            if (ci0 + 4u < inChannels)
            {
                if (beta != 0f) s42 += beta * dx[i2 + 4u * plane];
                dx[i2 + 4u * plane] = s42;
            }
            if (ci0 + 5u < inChannels)
            {
                if (beta != 0f) s52 += beta * dx[i2 + 5u * plane];
                dx[i2 + 5u * plane] = s52;
            }
            if (ci0 + 6u < inChannels)
            {
                if (beta != 0f) s62 += beta * dx[i2 + 6u * plane];
                dx[i2 + 6u * plane] = s62;
            }
            if (ci0 + 7u < inChannels)
            {
                if (beta != 0f) s72 += beta * dx[i2 + 7u * plane];
                dx[i2 + 7u * plane] = s72;
            }
        }
        if (first + 3u < columns)
        {
            uint i3 = (n3 * inChannels + ci0) * plane + p3;
            if (ci0 + 0u < inChannels)
            {
                if (beta != 0f) s03 += beta * dx[i3 + 0u * plane];
                dx[i3 + 0u * plane] = s03;
            }
            if (ci0 + 1u < inChannels)
            {
                if (beta != 0f) s13 += beta * dx[i3 + 1u * plane];
                dx[i3 + 1u * plane] = s13;
            }
            if (ci0 + 2u < inChannels)
            {
                if (beta != 0f) s23 += beta * dx[i3 + 2u * plane];
                dx[i3 + 2u * plane] = s23;
            }
            if (ci0 + 3u < inChannels)
            {
                if (beta != 0f) s33 += beta * dx[i3 + 3u * plane];
                dx[i3 + 3u * plane] = s33;
            }
            if (ci0 + 4u < inChannels)
            {
                if (beta != 0f) s43 += beta * dx[i3 + 4u * plane];
                dx[i3 + 4u * plane] = s43;
            }
            if (ci0 + 5u < inChannels)
            {
                if (beta != 0f) s53 += beta * dx[i3 + 5u * plane];
                dx[i3 + 5u * plane] = s53;
            }
            if (ci0 + 6u < inChannels)
            {
                if (beta != 0f) s63 += beta * dx[i3 + 6u * plane];
                dx[i3 + 6u * plane] = s63;
            }
            if (ci0 + 7u < inChannels)
            {
                if (beta != 0f) s73 += beta * dx[i3 + 7u * plane];
                dx[i3 + 7u * plane] = s73;
            }
        }
    }
}
