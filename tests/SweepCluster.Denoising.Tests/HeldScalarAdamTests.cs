using SweepCluster.Denoising.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests;

/// <summary>
/// <see cref="HeldScalarAdam"/> and <see cref="HeldScalarAdamW"/> re-implement TorchSharp's steps only to hold their
/// Scalars; every weight and moment must come out bit for bit as TorchSharp's own optimizer leaves it (the exact
/// resume and PyTorch parity tests stand on TorchSharp's Adam).
/// </summary>
[Trait("Category", "Unit")]
public sealed class HeldScalarAdamTests
{
    [Theory]
    [InlineData(false, 0.0, false, false)]
    [InlineData(false, 0.01, false, false)]
    [InlineData(false, 0.01, true, false)]
    [InlineData(false, 0.0, false, true)]
    [InlineData(true, 0.0, false, false)]
    [InlineData(true, 0.05, false, false)]
    [InlineData(true, 0.05, true, true)]
    public void Steps_match_TorchSharps_optimizer_bit_for_bit(bool decoupled, double weightDecay, bool amsgrad, bool maximize)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(5);
        var start = randn(3, 4);
        var gradients = Enumerable.Range(0, 6).Select(_ => randn(3, 4)).ToList();
        var theirs = new Parameter(start.clone());
        var ours = new Parameter(start.clone());
        const double lr = 0.01;
        using OptimizerHelper reference = decoupled
            ? optim.AdamW([theirs], lr, 0.8, 0.95, 1e-6, weightDecay, amsgrad, maximize)
            : optim.Adam([theirs], lr, 0.8, 0.95, 1e-6, weightDecay, amsgrad, maximize);
        using OptimizerHelper held = decoupled
            ? new HeldScalarAdamW([ours], lr, 0.8, 0.95, weightDecay, 1e-6, amsgrad, maximize)
            : new HeldScalarAdam([ours], lr, 0.8, 0.95, weightDecay, 1e-6, amsgrad, maximize);
        foreach (var gradient in gradients)
        {
            theirs.grad = gradient.clone();
            ours.grad = gradient.clone();
            reference.step();
            held.step();
            Assert.True(Same(theirs, ours), "the weights differ");
        }

        // The moments (and the AMSGrad maximum) too, since a checkpoint carries them.
        var (theirState, ourState) = (reference.state_dict().State.Single(), held.state_dict().State.Single());
        Assert.Equal(theirState.GetType(), ourState.GetType());
        foreach (var field in theirState.GetType().GetFields())
        {
            var (a, b) = (field.GetValue(theirState), field.GetValue(ourState));
            Assert.True(a is Tensor ta && b is Tensor tb ? Same(ta, tb) : Equals(a, b), $"state {field.Name} differs");
        }
        Assert.False(Same(start, ours), "the optimizer did not move the weights");
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
