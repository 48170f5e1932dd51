using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Evaluation;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class NoiseLeakageTests
{
    private static readonly PairedSample Sample =
        new PhantomGenerator(TrialConfig.Default.Data with { ImageSize = 64 }).Generate(DataSplit.Validation, 1);

    [Fact]
    public void Identity_output_leaks_all_its_noise()
    {
        Assert.Equal(1.0, NoiseLeakage.Index(Sample.NoisyA, Sample.CleanA!, Sample.NoiseA!), 5);
    }

    [Fact]
    public void Clean_output_leaks_nothing()
    {
        Assert.Equal(0.0, NoiseLeakage.Index(Sample.CleanA!, Sample.CleanA!, Sample.NoiseA!));
    }

    [Fact]
    public void Output_with_half_the_input_noise_is_fully_correlated()
    {
        float[] output = [.. Sample.CleanA!.Select((c, i) => c + (0.5f * Sample.NoiseA![i]))];

        Assert.Equal(1.0, NoiseLeakage.Index(output, Sample.CleanA!, Sample.NoiseA!), 5);
    }

    [Fact]
    public void Output_with_the_other_contrasts_noise_is_near_zero()
    {
        float[] output = [.. Sample.CleanA!.Select((c, i) => c + Sample.NoiseB![i])];

        // 4096 independent pixels: the correlation's std is about 1/64.
        Assert.InRange(NoiseLeakage.Index(output, Sample.CleanA!, Sample.NoiseA!), -0.06, 0.06);
    }
}
