using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Evaluation;

namespace SweepCluster.Denoising.Tests;

/// <summary>
/// The measured floor against the analytic one where the phantoms add Gaussian noise without clipping: per contrast
/// E|n| = sigma sqrt(2/pi) (L1) and E n^2 = sigma^2 (MSE), summed over the two contrasts. 64 phantoms of 32x32 give a
/// sampling error well under 1 %; the tolerance is 2 %.
/// </summary>
[Trait("Category", "Unit")]
public sealed class NoiseFloorTests
{
    private const double SigmaA = 0.08, SigmaB = 0.05;

    [Fact]
    public void L1_floor_of_gaussian_noise_is_sigma_times_root_two_over_pi_per_contrast()
    {
        var floor = NoiseFloor.Measure(Data(NoiseKind.Gaussian), LossKind.L1)!;

        var analytic = (SigmaA + SigmaB) * Math.Sqrt(2 / Math.PI);
        Assert.Equal(analytic, floor.Value, analytic * 0.02);
        Assert.InRange(floor.Error, 1e-6, analytic * 0.01);
    }

    [Fact]
    public void Mse_floor_of_gaussian_noise_is_the_sum_of_the_variances()
    {
        var floor = NoiseFloor.Measure(Data(NoiseKind.Gaussian), LossKind.Mse)!;

        var analytic = (SigmaA * SigmaA) + (SigmaB * SigmaB);
        Assert.Equal(analytic, floor.Value, analytic * 0.02);
    }

    [Fact]
    public void Rician_noise_moves_the_floor_away_from_the_gaussian_formula()
    {
        // Where the clean background is 0, Rician noise has a positive bias: why the floor is measured, not computed.
        var floor = NoiseFloor.Measure(Data(NoiseKind.Rician), LossKind.L1)!;

        var gaussianFormula = (SigmaA + SigmaB) * Math.Sqrt(2 / Math.PI);
        Assert.True(Math.Abs(floor.Value - gaussianFormula) > 0.05 * gaussianFormula, $"Rician L1 floor {floor.Value} vs Gaussian formula {gaussianFormula}");
    }

    [Fact]
    public void Complex_l1_floor_is_the_mean_modulus_of_complex_gaussian_noise()
    {
        // |n| of noise with std sigma on each part is Rayleigh distributed with mean sigma sqrt(pi/2).
        var floor = NoiseFloor.Measure(ComplexData(), LossKind.L1, complex: true)!;

        var analytic = (SigmaA + SigmaB) * Math.Sqrt(Math.PI / 2);
        Assert.Equal(analytic, floor.Value, analytic * 0.02);
    }

    [Fact]
    public void Complex_mse_floor_is_twice_the_variance_per_part()
    {
        var floor = NoiseFloor.Measure(ComplexData(), LossKind.Mse, complex: true)!;

        var analytic = 2 * ((SigmaA * SigmaA) + (SigmaB * SigmaB));
        Assert.Equal(analytic, floor.Value, analytic * 0.02);
    }

    [Fact]
    public void Complex_floor_needs_two_channel_data()
    {
        Assert.Throws<ArgumentException>(() => NoiseFloor.Measure(Data(NoiseKind.Gaussian), LossKind.L1, complex: true));
    }

    private static PhantomDataset ComplexData() =>
        new(TrialConfig.Default.Data with { ImageSize = 32, TrainSamples = 64, Phase = 1.0, Noise = new NoiseConfig(NoiseKind.Gaussian, SigmaA, SigmaB) }, DataSplit.Train);

    private static PhantomDataset Data(NoiseKind kind) =>
        new(TrialConfig.Default.Data with { ImageSize = 32, TrainSamples = 64, Noise = new NoiseConfig(kind, SigmaA, SigmaB) }, DataSplit.Train);
}
