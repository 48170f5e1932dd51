using SweepCluster.Denoising.Configuration;

namespace SweepCluster.Denoising.Training;

public sealed partial class C2CTrainer
{
    /// <summary>Per step with <c>trainer.anti_collapse</c> on: <c>(var(z_a) + var(z_b)) / 2</c>, population variances over all elements.</summary>
    public const string LatentVarianceMetric = "variance.latent";

    /// <summary>Per step with <c>trainer.anti_collapse</c> on: the same for the two cross outputs (at the slices' scale).</summary>
    public const string CrossVarianceMetric = "variance.cross";

    private int _collapsedEpochs;
    private int _collapseAdjustments;

    /// <summary>How many times anti-collapse has raised content and lowered recon in this phase.</summary>
    public int CollapseAdjustments => _collapseAdjustments;

    /// <summary>
    /// The scheduled weights after anti-collapse's adjustments: after k adjustments content is
    /// <c>min(content * (1 + factor)^k, max_content)</c> and recon <c>max(recon * (1 - factor)^k, min_recon)</c>, which is
    /// what adjusting the weights in place k times gives (a recon weight of 0 becomes <c>min_recon</c>, as there).
    /// </summary>
    private LossWeights AdjustedWeights(LossWeights scheduled)
    {
        var rule = Config.Trainer.AntiCollapse;
        if (!rule.Enabled || _collapseAdjustments == 0)
        {
            return scheduled;
        }

        var k = _collapseAdjustments;
        return scheduled with
        {
            Content = Math.Min(scheduled.Content * Math.Pow(1 + rule.Factor, k), rule.MaxContent),
            Recon = Math.Max(scheduled.Recon * Math.Pow(1 - rule.Factor, k), rule.MinRecon),
        };
    }

    /// <summary>At the end of an epoch: counts a collapsed epoch and adjusts the weights after <c>patience</c> in a row.</summary>
    private void AdjustForCollapse()
    {
        var rule = Config.Trainer.AntiCollapse;
        if (!rule.Enabled || !_epochSums.TryGetValue(LatentVarianceMetric, out var latent) || !_epochSums.TryGetValue(CrossVarianceMetric, out var cross))
        {
            return;
        }

        var collapsed = latent.Sum / latent.Count < rule.Threshold || cross.Sum / cross.Count < rule.Threshold;
        _collapsedEpochs = collapsed ? _collapsedEpochs + 1 : 0;
        if (collapsed && _collapsedEpochs >= rule.Patience)
        {
            _collapseAdjustments++;
            _collapsedEpochs = 0;
        }
    }
}
