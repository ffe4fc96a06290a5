using KernelGen.Models.Nn;
using KernelGen.Models.Tensors;
using Xunit;
using static KernelGen.Models.Tests.Nn.NumericGrad;

namespace KernelGen.Models.Tests.Nn;

/// <summary>
/// The modules' gradients (every parameter, and the input's) against central differences. Each module's parameters
/// are randomised first, so zero-initialised layers (W_z, a residual block's second convolution) take part.
/// </summary>
public class ModuleGradientTests
{
    private static void CheckModule(Layer module, Shape input, int sample = 8, double h = 1e-2)
    {
        Randomize(module.Parameters(), 3);
        var x = Param(input, 1, "x");
        Check([x, .. module.Parameters()], g => Loss(module.Forward(Lift(g, x))), h: h, sample: sample);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(4, true)]
    [InlineData(10, false)]
    public void MultiHeadSelfAttention(int headDim, bool causal)
    {
        using var m = new MultiHeadSelfAttention(new Init(CpuDevice, 1), 2 * headDim, 2, causal);
        CheckModule(m, new Shape(2, 3, 2 * headDim));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TransformerBlock(bool causal)
    {
        using var m = new TransformerBlock(new Init(CpuDevice, 1), 8, 2, causal, mlpRatio: 2);
        CheckModule(m, new Shape(2, 3, 8));
    }

    [Fact]
    public void NonLocalBlock()
    {
        using var m = new NonLocalBlock(new Init(CpuDevice, 1), 3, 4);
        CheckModule(m, new Shape(2, 3, 2, 3));
    }

    [Theory]
    [InlineData(true, 2, 2, 1)]    // identity shortcut
    [InlineData(true, 2, 3, 1)]    // projection (channels)
    [InlineData(true, 2, 3, 2)]    // projection (stride)
    [InlineData(false, 2, 2, 1)]   // plain
    [InlineData(false, 2, 3, 2)]
    public void ResidualBlock(bool residual, int inChannels, int outChannels, int stride)
    {
        using var m = new ResidualBlock(new Init(CpuDevice, 1), inChannels, outChannels, stride, residual);
        Assert.Equal(residual && (inChannels != outChannels || stride != 1), m.Shortcut is not null);
        // ReLUs: a smaller step, so few pre-activations cross zero.
        CheckModule(m, new Shape(2, inChannels, 4, 4), h: 3e-3);
    }

    [Fact]
    public void MixerBlock()
    {
        using var m = new MixerBlock(new Init(CpuDevice, 1), 3, 4, 5, 6);
        CheckModule(m, new Shape(2, 3, 4));
    }

    [Fact]
    public void FeedForward()
    {
        using var m = new FeedForward(new Init(CpuDevice, 1), 4, 6);
        CheckModule(m, new Shape(2, 3, 4));
    }

    [Fact]
    public void LayerNorm_Linear_Conv2d_and_Sequential()
    {
        var init = new Init(CpuDevice, 1);
        using var m = new Sequential(new Conv2d(init, 2, 3, 3, padding: 1), new Tanh(), new AvgPool2d(2), new Flatten(),
            new Linear(init, 12, 6), new LayerNorm(init, 6), new Gelu(), new Linear(init, 6, 4, bias: false));
        CheckModule(m, new Shape(2, 2, 4, 4));
    }
}
