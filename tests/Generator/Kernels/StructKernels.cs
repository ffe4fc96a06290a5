using System.Numerics;
using static KernelGen.Kernel;

namespace KernelGen.Generator.Tests.Kernels;

/// <summary>A particle as a buffer element: Vector4 fields first, so C# and WGSL lay it out alike (48 bytes).</summary>
public struct Particle
{
    public Vector4 Position;
    public Vector4 Velocity;
    public float Mass;
    public uint Steps;
    public Vector2 Spin;
}

/// <summary>A user struct in buffers and locals, with a nested struct.</summary>
public struct Pair
{
    public Particle First;
    public Vector4 Weights;
}

/// <summary>Kernels over user structs.</summary>
public static partial class StructKernels
{
    [ComputeKernel(64)]
    public static void Integrate(ReadWriteBuffer<Particle> particles, ReadWriteBuffer<Pair> pairs, float dt, uint n)
    {
        uint i = GlobalId.X;
        if (i >= n) return;
        Particle p = particles[i];
        p.Velocity += new Vector4(0f, -9.81f, 0f, 0f) * dt / p.Mass;
        p.Position += p.Velocity * dt;
        p.Steps++;
        p.Spin.X += dt;
        particles[i] = p;
        Pair pair = new Pair();
        pair.First = p;
        pair.Weights = new Vector4(p.Mass, dt, (float)p.Steps, 1f);
        pairs[i] = pair;
    }
}
