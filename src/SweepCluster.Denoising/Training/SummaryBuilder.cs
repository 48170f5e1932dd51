using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Evaluation;

namespace SweepCluster.Denoising.Training;

/// <summary>Turns a run's per-epoch history and final evaluation into the protocol's summary (pure).</summary>
public static class SummaryBuilder
{
    /// <param name="history">Per-epoch means of the step metrics (<c>loss.cross</c> among them, and
    /// <see cref="C2CTrainer.CrossStepSdMetric"/> where an epoch has more than one step).</param>
    /// <param name="evaluation">The final validation evaluation.</param>
    /// <param name="mode">The trainer mode: it decides which losses have noisy targets and so a noise floor.</param>
    /// <param name="stepsPerEpoch">Steps behind each epoch mean.</param>
    /// <param name="classical">The classical reference on the same validation images, or null.</param>
    /// <param name="noiseFloor">The measured loss of the clean images against the noisy targets, or null without clean images.</param>
    public static TrialSummary Build(
        IReadOnlyList<IReadOnlyDictionary<string, double>> history,
        EvaluationResult evaluation,
        int trendEpochs,
        TrainerMode mode,
        int stepsPerEpoch,
        double durationSeconds,
        long steps,
        ClassicalResult? classical = null,
        NoiseFloorResult? noiseFloor = null)
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
            scalars["ssim_noisy"] = Mean(o["noisy_a"].Ssim, o["noisy_b"].Ssim);
            scalars["psnr_gain_cross"] = psnrCross - psnrNoisy;
            scalars["psnr_recon"] = Mean(o["x_a_recon"].Psnr, o["x_b_recon"].Psnr);

            // Each output against the noise of the input its own target was made from: x_a_* against noise_a.
            scalars["leakage_cross"] = Mean(Math.Abs(o["x_a_from_b"].LeakageNoiseA), Math.Abs(o["x_b_from_a"].LeakageNoiseB));
            scalars["leakage_recon"] = Mean(Math.Abs(o["x_a_recon"].LeakageNoiseA), Math.Abs(o["x_b_recon"].LeakageNoiseB));
            scalars["leakage_noisy"] = Mean(Math.Abs(o["noisy_a"].LeakageNoiseA), Math.Abs(o["noisy_b"].LeakageNoiseB));
        }

        if (classical is not null)
        {
            scalars["psnr_classical"] = classical.Psnr;
            scalars["ssim_classical"] = classical.Ssim;
            scalars["leakage_classical"] = classical.Leakage;
            scalars["classical_sigma"] = classical.Sigma;
        }

        // A loss against clean targets (the supervised references') has nothing to copy: its floor is 0.
        var crossFloor = mode == TrainerMode.SupervisedCross ? new NoiseFloorResult(0, 0) : noiseFloor;
        var reconFloor = mode == TrainerMode.C2c ? noiseFloor : new NoiseFloorResult(0, 0);
        if (crossFloor is not null)
        {
            scalars["noise_floor_cross"] = crossFloor.Value;
        }

        if (reconFloor is not null)
        {
            scalars["noise_floor_recon"] = reconFloor.Value;
        }

        AddCross(scalars, history, crossFloor, trendEpochs, stepsPerEpoch);
        var recon = history.Where(h => h.ContainsKey("loss.recon")).Select(h => h["loss.recon"]).ToList();
        if (recon.Count > 0 && reconFloor is not null)
        {
            scalars["recon_excess_final"] = recon[^1] - reconFloor.Value;
        }

        scalars["z_distance"] = evaluation.ZDistance;
        scalars["duration_s"] = Math.Round(durationSeconds, 3);
        scalars["steps"] = steps;
        return new TrialSummary(scalars, o, mode != TrainerMode.C2c);
    }

    private static void AddCross(
        Dictionary<string, double> scalars,
        IReadOnlyList<IReadOnlyDictionary<string, double>> history,
        NoiseFloorResult? floor,
        int trendEpochs,
        int stepsPerEpoch)
    {
        var epochs = history.Where(h => h.ContainsKey("loss.cross")).ToList();
        if (epochs.Count == 0)
        {
            return;
        }

        var cross = epochs.Select(h => h["loss.cross"]).ToList();
        var spread = epochs.Select(h => h.TryGetValue(C2CTrainer.CrossStepSdMetric, out var sd) ? sd : (double?)null).ToList();
        scalars["cross_loss_final"] = cross[^1];
        if (cross.All(c => c > 0 && double.IsFinite(c)))
        {
            if (LossTrend.Fit(cross, trendEpochs).Slope is { } slope)
            {
                scalars["cross_slope"] = slope;
            }
        }

        // Without clean images there is no floor; the raw loss is judged, and the summary has no excess scalars.
        var trend = ExcessTrend.Fit(cross, spread, stepsPerEpoch, floor?.Value ?? 0, trendEpochs);
        if (trend.RelativeDecrease is { } decrease && trend.Error is { } error)
        {
            scalars["cross_excess_rel_decrease"] = decrease;
            scalars["cross_excess_rel_decrease_err"] = error;
        }

        scalars["cross_going_down"] = trend.GoingDown ? 1 : 0;
        if (floor is null)
        {
            return;
        }

        var excess = cross[^1] - floor.Value;
        var finalSe = spread[^1] is { } sd ? sd / Math.Sqrt(stepsPerEpoch) : 0;
        var excessError = Math.Sqrt((finalSe * finalSe) + (floor.Error * floor.Error));
        scalars["cross_excess_final"] = excess;
        scalars["cross_excess_final_err"] = excessError;

        // Below the floor by more than its uncertainty: the output reproduces part of the target's own noise.
        scalars["cross_below_floor"] = excess < -excessError ? 1 : 0;
    }

    private static double Mean(double a, double b) => (a + b) / 2;
}
