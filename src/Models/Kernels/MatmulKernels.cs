using System.Numerics;
using static KernelGen.Kernel;

namespace KernelGen.Models.Kernels;

/// <summary>
/// Matrix products C = act(alpha * A·B + bias) + beta * C, batched, in several variants with one signature, so the
/// host-side chooser (<see cref="Ops"/>) can pick any of them by shape and adapter.
/// </summary>
/// <remarks>
/// <para>Layout: A is M x K, B is K x N, C is M x N (row-major, contiguous per batch). A and B are read through strides,
/// which is how the transposes work without copies: element (i, p) of A is
/// <c>a[batch * aBatch + i * aRow + p * aCol]</c> (so A^T stored as K x M has aRow = 1, aCol = M), element (p, j) of B
/// is <c>b[batch * bBatch + p * bRow + j * bCol]</c>. A batch stride of 0 broadcasts (one weight matrix for every
/// batch). C's batch stride is M*N. The batch index is the launch's Z axis.</para>
/// <para>Epilogue: <c>biasMode</c> 0 = none, 1 = one bias per column (a linear layer), 2 = one bias per row (a
/// convolution's output channel). <c>activation</c> is an <see cref="Activation"/> constant. When <c>beta</c> is 0, C
/// is only written (its old contents may be anything, even NaN).</para>
/// </remarks>
public static partial class MatmulKernels
{
    /// <summary>Rows of C one invocation of <see cref="Blocked"/> computes.</summary>
    public const int BlockRows = 4;

    /// <summary>Rows of C one invocation of <see cref="RowBlocked"/> computes (uniform across its workgroup).</summary>
    public const int RowBlockRows = 8;

    /// <summary>Columns of C one invocation of the blocked kernels computes.</summary>
    public const int BlockColumns = 4;

    /// <summary>Invocations per workgroup of the row-blocked kernel (all along X).</summary>
    public const int RowBlockedWidth = 64;

    /// <summary>Side of the square tiles of the shared-memory kernel.</summary>
    public const int Tile = 16;

    /// <summary>
    /// One invocation per element of C: the dot product of a row of A and a column of B, straight from storage.
    /// Launch (N, M, batch).
    /// </summary>
    [ComputeKernel(16, 16)]
    public static void Simple(ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadOnlyBuffer<float> bias, ReadWriteBuffer<float> c,
        uint m, uint n, uint k, uint aRow, uint aCol, uint aBatch, uint bRow, uint bCol, uint bBatch,
        float alpha, float beta, uint biasMode, uint activation)
    {
        uint col = GlobalId.X;
        uint row = GlobalId.Y;
        uint batch = GlobalId.Z;
        if (row >= m || col >= n) return;
        uint aIndex = batch * aBatch + row * aRow;
        uint bIndex = batch * bBatch + col * bCol;
        float sum = 0f;
        for (uint p = 0; p < k; p++)
        {
            sum += a[aIndex] * b[bIndex];
            aIndex += aCol;
            bIndex += bRow;
        }
        uint index = batch * m * n + row * n + col;
        float value = alpha * sum;
        if (biasMode == 1u) value += bias[col];
        else if (biasMode == 2u) value += bias[row];
        value = Activation.Apply(value, activation);
        if (beta != 0f) value += beta * c[index];
        c[index] = value;
    }

    /// <summary>
    /// Register blocking with the rows uniform across the workgroup: each invocation computes an 8 x 4 block of C in
    /// a local array, rows <c>8 * WorkgroupId.Y + i</c> (the same for the whole workgroup, so their loads from A are
    /// one scalar load broadcast to every lane on lavapipe) and columns <c>256 * WorkgroupId.X + LocalId.X + 64 * j</c>
    /// (neighbouring lanes read neighbouring elements of B). Per step along K: 8 uniform loads of A, 4 of B, 32
    /// multiply-adds. Launch (64 * ceil(N / 256), ceil(M / 8), batch).
    /// </summary>
    [ComputeKernel(RowBlockedWidth)]
    public static void RowBlocked(ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadOnlyBuffer<float> bias, ReadWriteBuffer<float> c,
        uint m, uint n, uint k, uint aRow, uint aCol, uint aBatch, uint bRow, uint bCol, uint bBatch,
        float alpha, float beta, uint biasMode, uint activation)
    {
        uint batch = WorkgroupId.Z;
        uint row0 = WorkgroupId.Y * RowBlockRows;
        uint col0 = WorkgroupId.X * (RowBlockedWidth * BlockColumns) + LocalId.X;
        Span<uint> aAt = stackalloc uint[RowBlockRows];
        Span<uint> bAt = stackalloc uint[BlockColumns];
        for (int i = 0; i < RowBlockRows; i++) aAt[i] = batch * aBatch + Math.Min(row0 + (uint)i, m - 1u) * aRow;
        for (int j = 0; j < BlockColumns; j++) bAt[j] = batch * bBatch + Math.Min(col0 + (uint)j * RowBlockedWidth, n - 1u) * bCol;
        Span<float> acc = stackalloc float[RowBlockRows * BlockColumns];
        Span<float> x = stackalloc float[RowBlockRows];
        Span<float> y = stackalloc float[BlockColumns];
        uint aStep = 0;
        uint bStep = 0;
        for (uint p = 0; p < k; p++)
        {
            for (int i = 0; i < RowBlockRows; i++) x[i] = a[aAt[i] + aStep];
            for (int j = 0; j < BlockColumns; j++) y[j] = b[bAt[j] + bStep];
            for (int i = 0; i < RowBlockRows; i++)
                for (int j = 0; j < BlockColumns; j++)
                    acc[i * BlockColumns + j] += x[i] * y[j];
            aStep += aCol;
            bStep += bRow;
        }
        uint cBase = batch * m * n;
        for (int i = 0; i < RowBlockRows; i++)
        {
            uint row = row0 + (uint)i;
            if (row >= m) break;
            for (int j = 0; j < BlockColumns; j++)
            {
                uint col = col0 + (uint)j * RowBlockedWidth;
                if (col < n)
                {
                    uint index = cBase + row * n + col;
                    float value = alpha * acc[i * BlockColumns + j];
                    if (biasMode == 1u) value += bias[col];
                    else if (biasMode == 2u) value += bias[row];
                    value = Activation.Apply(value, activation);
                    if (beta != 0f) value += beta * c[index];
                    c[index] = value;
                }
            }
        }
    }

    /// <summary>
    /// Register blocking in a square 2D workgroup: each invocation computes a 4 x 4 block of C, rows
    /// <c>4 * GlobalId.Y + i</c>, columns <c>32 * WorkgroupId.X + LocalId.X + 8 * j</c>. Launch (ceil(N / 32) * 8,
    /// ceil(M / 4), batch).
    /// </summary>
    [ComputeKernel(8, 8)]
    public static void Blocked(ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadOnlyBuffer<float> bias, ReadWriteBuffer<float> c,
        uint m, uint n, uint k, uint aRow, uint aCol, uint aBatch, uint bRow, uint bCol, uint bBatch,
        float alpha, float beta, uint biasMode, uint activation)
    {
        uint batch = GlobalId.Z;
        uint row0 = GlobalId.Y * BlockRows;
        uint col0 = WorkgroupId.X * (8u * BlockColumns) + LocalId.X;
        if (row0 >= m) return;
        uint last = m - 1u;
        uint aBase = batch * aBatch;
        uint a0 = aBase + row0 * aRow;
        uint a1 = aBase + Math.Min(row0 + 1u, last) * aRow;
        uint a2 = aBase + Math.Min(row0 + 2u, last) * aRow;
        uint a3 = aBase + Math.Min(row0 + 3u, last) * aRow;
        uint lastCol = n - 1u;
        uint bBase = batch * bBatch;
        uint b0 = bBase + Math.Min(col0, lastCol) * bCol;
        uint b1 = bBase + Math.Min(col0 + 8u, lastCol) * bCol;
        uint b2 = bBase + Math.Min(col0 + 16u, lastCol) * bCol;
        uint b3 = bBase + Math.Min(col0 + 24u, lastCol) * bCol;
        Span<float> acc = stackalloc float[BlockRows * BlockColumns];
        for (int q = 0; q < acc.Length; q++) acc[q] = 0f;
        uint aStep = 0;
        uint bStep = 0;
        for (uint p = 0; p < k; p++)
        {
            float x0 = a[a0 + aStep];
            float x1 = a[a1 + aStep];
            float x2 = a[a2 + aStep];
            float x3 = a[a3 + aStep];
            float y0 = b[b0 + bStep];
            float y1 = b[b1 + bStep];
            float y2 = b[b2 + bStep];
            float y3 = b[b3 + bStep];
            acc[0] += x0 * y0; acc[1] += x0 * y1; acc[2] += x0 * y2; acc[3] += x0 * y3;
            acc[4] += x1 * y0; acc[5] += x1 * y1; acc[6] += x1 * y2; acc[7] += x1 * y3;
            acc[8] += x2 * y0; acc[9] += x2 * y1; acc[10] += x2 * y2; acc[11] += x2 * y3;
            acc[12] += x3 * y0; acc[13] += x3 * y1; acc[14] += x3 * y2; acc[15] += x3 * y3;
            aStep += aCol;
            bStep += bRow;
        }
        uint cBase = batch * m * n;
        for (int i = 0; i < BlockRows; i++)
        {
            uint row = row0 + (uint)i;
            if (row >= m) break;
            for (int j = 0; j < BlockColumns; j++)
            {
                uint col = col0 + (uint)j * 8u;
                if (col < n)
                {
                    uint index = cBase + row * n + col;
                    float value = alpha * acc[i * BlockColumns + j];
                    if (biasMode == 1u) value += bias[col];
                    else if (biasMode == 2u) value += bias[row];
                    value = Activation.Apply(value, activation);
                    if (beta != 0f) value += beta * c[index];
                    c[index] = value;
                }
            }
        }
    }

    /// <summary>
    /// Shared-memory tiling: a 16 x 16 workgroup stages 16 x 16 tiles of A and B in workgroup memory, then each
    /// invocation reads its row and column of the tiles from there (two barriers per tile). The classic GPU kernel;
    /// on lavapipe the barriers cost more than the loads they save. Launch (N, M, batch).
    /// </summary>
    [ComputeKernel(Tile, Tile)]
    public static void Tiled(ReadOnlyBuffer<float> a, ReadOnlyBuffer<float> b, ReadOnlyBuffer<float> bias, ReadWriteBuffer<float> c,
        uint m, uint n, uint k, uint aRow, uint aCol, uint aBatch, uint bRow, uint bCol, uint bBatch,
        float alpha, float beta, uint biasMode, uint activation)
    {
        var tileA = WorkgroupArray<float>(Tile * Tile);
        var tileB = WorkgroupArray<float>(Tile * Tile);
        uint tx = LocalId.X;
        uint ty = LocalId.Y;
        uint col = GlobalId.X;
        uint row = GlobalId.Y;
        uint batch = GlobalId.Z;
        // Loads are clamped into bounds and multiplied by 0 past the edge; no invocation returns before the barriers.
        uint loadRow = Math.Min(row, m - 1u);
        uint loadCol = Math.Min(col, n - 1u);
        float rowInside = row < m ? 1f : 0f;
        float colInside = col < n ? 1f : 0f;
        uint aBase = batch * aBatch + loadRow * aRow;
        uint bBase = batch * bBatch + loadCol * bCol;
        float sum = 0f;
        uint lastK = k - 1u;
        for (uint t = 0; t < k; t += Tile)
        {
            uint pa = t + tx;
            uint pb = t + ty;
            tileA[ty * Tile + tx] = pa < k ? a[aBase + Math.Min(pa, lastK) * aCol] : 0f;
            tileB[ty * Tile + tx] = pb < k ? b[bBase + Math.Min(pb, lastK) * bRow] : 0f;
            WorkgroupBarrier();
            for (uint q = 0; q < Tile; q++) sum += tileA[ty * Tile + q] * tileB[q * Tile + tx];
            WorkgroupBarrier();
        }
        if (rowInside * colInside == 0f) return;
        uint index = batch * m * n + row * n + col;
        float value = alpha * sum;
        if (biasMode == 1u) value += bias[col];
        else if (biasMode == 2u) value += bias[row];
        value = Activation.Apply(value, activation);
        if (beta != 0f) value += beta * c[index];
        c[index] = value;
    }

    /// <summary>
    /// The vec4 variant for packed row-major matrices whose K and N are multiples of 4, on buffers of
    /// <see cref="Vector4"/> (each load is 16 bytes): C = act(alpha * A·B + bias[column]), no transposes or batches.
    /// Each invocation computes rows 4 * GlobalId.Y .. + 3 and the four columns of vec4 column GlobalId.X; per four
    /// steps along K it makes 8 vec4 loads and 64 multiply-adds. The same algorithm as the hand-written WGSL yardstick
    /// of the benchmarks, written in C#. Launch (N / 4, ceil(M / 4)).
    /// </summary>
    [ComputeKernel(8, 8)]
    public static void BlockedVec4(ReadOnlyBuffer<Vector4> a, ReadOnlyBuffer<Vector4> b, ReadOnlyBuffer<Vector4> bias, ReadWriteBuffer<Vector4> c,
        uint m, uint n, uint k, float alpha, bool hasBias, uint activation)
    {
        uint n4 = n / 4u;
        uint k4 = k / 4u;
        uint col = GlobalId.X;
        uint row = GlobalId.Y * 4u;
        if (col >= n4 || row >= m) return;
        uint r1 = Math.Min(row + 1u, m - 1u);
        uint r2 = Math.Min(row + 2u, m - 1u);
        uint r3 = Math.Min(row + 3u, m - 1u);
        Vector4 c0 = Vector4.Zero;
        Vector4 c1 = Vector4.Zero;
        Vector4 c2 = Vector4.Zero;
        Vector4 c3 = Vector4.Zero;
        for (uint p = 0; p < k4; p++)
        {
            Vector4 a0 = a[row * k4 + p];
            Vector4 a1 = a[r1 * k4 + p];
            Vector4 a2 = a[r2 * k4 + p];
            Vector4 a3 = a[r3 * k4 + p];
            uint bRow = 4u * p * n4 + col;
            Vector4 b0 = b[bRow];
            Vector4 b1 = b[bRow + n4];
            Vector4 b2 = b[bRow + 2u * n4];
            Vector4 b3 = b[bRow + 3u * n4];
            c0 += a0.X * b0 + a0.Y * b1 + a0.Z * b2 + a0.W * b3;
            c1 += a1.X * b0 + a1.Y * b1 + a1.Z * b2 + a1.W * b3;
            c2 += a2.X * b0 + a2.Y * b1 + a2.Z * b2 + a2.W * b3;
            c3 += a3.X * b0 + a3.Y * b1 + a3.Z * b2 + a3.W * b3;
        }
        Vector4 shift = hasBias ? bias[col] : Vector4.Zero;
        c[row * n4 + col] = ActivateVec4(alpha * c0 + shift, activation);
        if (row + 1u < m) c[(row + 1u) * n4 + col] = ActivateVec4(alpha * c1 + shift, activation);
        if (row + 2u < m) c[(row + 2u) * n4 + col] = ActivateVec4(alpha * c2 + shift, activation);
        if (row + 3u < m) c[(row + 3u) * n4 + col] = ActivateVec4(alpha * c3 + shift, activation);
    }

    private static Vector4 ActivateVec4(Vector4 v, uint activation) =>
        new(Activation.Apply(v.X, activation), Activation.Apply(v.Y, activation), Activation.Apply(v.Z, activation), Activation.Apply(v.W, activation));
}
