using SweepCluster.Denoising.Evaluation;

namespace SweepCluster.Denoising.Training;

/// <summary>Turns a run's per-epoch history and final evaluation into the protocol's summary (pure).</summary>
public static class SummaryBuilder
{
    /// <param name="history">Per-epoch means of the step metrics (<c>loss.cross</c> among them).</param>
    /// <param name="evaluation">The final validation evaluation.</param>
    public static TrialSummary Build(
        IReadOnlyList<IReadOnlyDictionary<string, double>> history,
        EvaluationResult evaluation,
        int trendEpochs,
        bool supervised,
        double durationSeconds,
        long steps)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(evaluation);
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        var o = evaluation.Outputs;
        if (o.Count > 0)
        {
            var psnrCross = Mean(o["x_a_from_b"].Psnr, o["x_b_from_a"].Psnr);
            var psnrNoisy = Mean(o["noisy_a"].Psnr, o["noisy_b"].Psnr);
            scalars["psnr_cross"] = psnrCross;
            scalars["ssim_cross"] = Mean(o["x_a_from_b"].Ssim, o["x_b_from_a"].Ssim);
            scalars["psnr_noisy"] = psnrNoisy;
            scalars["psnr_gain_cross"] = psnrCross - psnrNoisy;
            scalars["psnr_recon"] = Mean(o["x_a_recon"].Psnr, o["x_b_recon"].Psnr);

            // Each output against the noise of the input its own target was made from: x_a_* against noise_a.
            scalars["leakage_cross"] = Mean(Math.Abs(o["x_a_from_b"].LeakageNoiseA), Math.Abs(o["x_b_from_a"].LeakageNoiseB));
            scalars["leakage_recon"] = Mean(Math.Abs(o["x_a_recon"].LeakageNoiseA), Math.Abs(o["x_b_recon"].LeakageNoiseB));
        }

        var cross = history.Where(h => h.ContainsKey("loss.cross")).Select(h => h["loss.cross"]).ToList();
        if (cross.Count > 0)
        {
            scalars["cross_loss_final"] = cross[^1];
            if (cross.All(c => c > 0 && double.IsFinite(c)))
            {
                var trend = LossTrend.Fit(cross, trendEpochs);
                if (trend.Slope is { } slope)
                {
                    scalars["cross_slope"] = slope;
                }

                scalars["cross_going_down"] = trend.GoingDown ? 1 : 0;
            }
        }

        scalars["z_distance"] = evaluation.ZDistance;
        scalars["duration_s"] = Math.Round(durationSeconds, 3);
        scalars["steps"] = steps;
        return new TrialSummary(scalars, o, supervised);
    }

    private static double Mean(double a, double b) => (a + b) / 2;
}
