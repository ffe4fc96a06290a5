using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

// Im2col and col2im: the receptive fields as the columns of a matrix, so a convolution is a matmul.
public static partial class ConvKernels
{
    /// <summary>
    /// cols[(ci*kH + ky)*kW + kx, n*outH*outW + oy*outW + ox] = x[n, ci, oy*sy - py + ky, ox*sx - px + kx] (0 in the
    /// padding). Launch (batch*outH*outW, inChannels*kH*kW).
    /// </summary>
    [ComputeKernel(64, 4)]
    public static void Im2Col(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> cols,
        uint batch, uint inChannels, uint height, uint width, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW)
    {
        uint column = GlobalId.X;
        uint rowIndex = GlobalId.Y;
        uint spatial = outH * outW;
        uint taps = kernelH * kernelW;
        if (column >= batch * spatial || rowIndex >= inChannels * taps) return;
        uint n = column / spatial;
        uint p = column % spatial;
        uint ci = rowIndex / taps;
        uint ky = (rowIndex % taps) / kernelW;
        uint kx = rowIndex % kernelW;
        int iy = (int)((p / outW) * strideY + ky) - (int)padY;
        int ix = (int)((p % outW) * strideX + kx) - (int)padX;
        float value = 0f;
        if (iy >= 0 && iy < (int)height && ix >= 0 && ix < (int)width)
            value = x[((n * inChannels + ci) * height + (uint)iy) * width + (uint)ix];
        cols[rowIndex * batch * spatial + column] = value;
    }

    /// <summary>
    /// The adjoint of <see cref="Im2Col"/>: dx[n, ci, iy, ix] = sum of dcols over the (row, column) entries that
    /// copied that input element, gathered per input element (deterministic). beta = 1 accumulates. Launch
    /// (height*width, inChannels, batch).
    /// </summary>
    [ComputeKernel(64)]
    public static void Col2Im(ReadOnlyBuffer<float> dcols, ReadWriteBuffer<float> dx,
        uint batch, uint inChannels, uint height, uint width, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW, float beta)
    {
        uint p = GlobalId.X;
        uint ci = GlobalId.Y;
        uint n = GlobalId.Z;
        if (p >= height * width || ci >= inChannels) return;
        uint iy = p / width;
        uint ix = p % width;
        uint columns = batch * outH * outW;
        float sum = 0f;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            uint oy = Windows.OutputAt(iy, padY, ky, strideY, outH);
            if (oy == Windows.None) continue;
            for (uint kx = 0; kx < kernelW; kx++)
            {
                uint ox = Windows.OutputAt(ix, padX, kx, strideX, outW);
                if (ox == Windows.None) continue;
                uint rowIndex = (ci * kernelH + ky) * kernelW + kx;
                sum += dcols[rowIndex * columns + (n * outH + oy) * outW + ox];
            }
        }
        uint index = (n * inChannels + ci) * height * width + p;
        if (beta != 0f) sum += beta * dx[index];
        dx[index] = sum;
    }

    /// <summary>
    /// <see cref="Im2Col"/> with one invocation per (column, input channel), writing that channel's kH*kW rows in a
    /// loop with the same bounds for every invocation (neighbouring invocations write neighbouring columns); the
    /// column's coordinates are divided out once instead of once per element. Launch (batch*outH*outW, inChannels).
    /// </summary>
    [ComputeKernel(64)]
    public static void Im2ColRows(ReadOnlyBuffer<float> x, ReadWriteBuffer<float> cols,
        uint batch, uint inChannels, uint height, uint width, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW)
    {
        uint column = GlobalId.X;
        uint ci = GlobalId.Y;
        uint spatial = outH * outW;
        uint columns = batch * spatial;
        if (column >= columns || ci >= inChannels) return;
        uint n = column / spatial;
        uint p = column % spatial;
        int iy0 = (int)((p / outW) * strideY) - (int)padY;
        int ix0 = (int)((p % outW) * strideX) - (int)padX;
        uint xPlane = (n * inChannels + ci) * height * width;
        uint row0 = ci * kernelH * kernelW;
        for (uint ky = 0; ky < kernelH; ky++)
        {
            int iy = iy0 + (int)ky;
            bool rowInside = iy >= 0 && iy < (int)height;
            for (uint kx = 0; kx < kernelW; kx++)
            {
                int ix = ix0 + (int)kx;
                bool inside = rowInside && ix >= 0 && ix < (int)width;
                float v = x[inside ? xPlane + (uint)iy * width + (uint)ix : 0u];
                cols[(row0 + ky * kernelW + kx) * columns + column] = inside ? v : 0f;
            }
        }
    }

    /// <summary>
    /// <see cref="Col2Im"/> with the taps in loops of the same bounds for every invocation (the window arithmetic
    /// as masks, no division when the stride is 1). Launch (batch*height*width, inChannels).
    /// </summary>
    [ComputeKernel(64)]
    public static void Col2ImRows(ReadOnlyBuffer<float> dcols, ReadWriteBuffer<float> dx,
        uint batch, uint inChannels, uint height, uint width, uint kernelH, uint kernelW,
        uint strideY, uint strideX, uint padY, uint padX, uint outH, uint outW, float beta)
    {
        uint column = GlobalId.X;
        uint ci = GlobalId.Y;
        uint plane = height * width;
        if (column >= batch * plane || ci >= inChannels) return;
        uint n = column / plane;
        uint p = column % plane;
        int ty0 = (int)(p / width + padY);
        int tx0 = (int)(p % width + padX);
        uint columns = batch * outH * outW;
        uint outImage = n * outH * outW;
        uint row0 = ci * kernelH * kernelW;
        float sum = 0f;
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
                float g = dcols[inside ? (row0 + ky * kernelW + kx) * columns + outImage + oy * outW + ox : 0u];
                sum += inside ? g : 0f;
            }
        }
        uint index = (n * inChannels + ci) * plane + p;
        if (beta != 0f) sum += beta * dx[index];
        dx[index] = sum;
    }
}
