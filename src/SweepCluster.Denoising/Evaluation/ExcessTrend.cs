namespace SweepCluster.Denoising.Evaluation;

/// <summary>
/// Whether a loss is still going down above its noise floor. Over the window of the last epochs, with
/// <c>E = epoch mean - floor</c> (the excess) at the window's first and last epoch, the relative decrease is
/// <c>r = (E_first - E_last) / E_first</c>. Its uncertainty comes from the step-to-step spread of the loss: each epoch
/// mean has the standard error <c>step_sd / sqrt(steps per epoch)</c>, propagated to first order,
/// <c>err = sqrt(se_last^2 + (E_last / E_first)^2 se_first^2) / E_first</c> (the floor cancels in the difference; its
/// own small error is left out). With one step per epoch there is no within-epoch spread, and the spread of the
/// window's successive epoch means (<c>sqrt(mean(diff^2) / 2)</c>) stands in for the standard error. The loss is
/// going down when <c>r &gt; 2 err</c>. A window that starts at or below the floor has no relative decrease and is not
/// going down: there is nothing left to learn that the targets could teach.
/// </summary>
/// <param name="RelativeDecrease">r; null with fewer than two epochs or a first excess at or below 0.</param>
/// <param name="Error">The uncertainty of r; null where r is.</param>
/// <param name="Epochs">The epochs the window holds.</param>
public sealed record ExcessTrend(double? RelativeDecrease, double? Error, int Epochs)
{
    /// <summary>How many uncertainties the decrease must exceed.</summary>
    public const double Significance = 2.0;

    public bool GoingDown => RelativeDecrease is { } r && Error is { } e && r > Significance * e;

    /// <param name="perEpochLoss">The epoch means of the loss, in epoch order.</param>
    /// <param name="perEpochStepSd">The step-to-step standard deviation within each epoch (null where unknown), aligned with the means.</param>
    /// <param name="stepsPerEpoch">Steps behind each epoch mean.</param>
    /// <param name="floor">The loss's noise floor (0 for a loss against clean targets).</param>
    /// <param name="lastEpochs">The window: the last this many epochs (all, if fewer).</param>
    public static ExcessTrend Fit(IReadOnlyList<double> perEpochLoss, IReadOnlyList<double?> perEpochStepSd, int stepsPerEpoch, double floor, int lastEpochs)
    {
        ArgumentNullException.ThrowIfNull(perEpochLoss);
        ArgumentNullException.ThrowIfNull(perEpochStepSd);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lastEpochs);
        if (perEpochStepSd.Count != perEpochLoss.Count)
        {
            throw new ArgumentException($"{perEpochStepSd.Count} spreads for {perEpochLoss.Count} epochs.", nameof(perEpochStepSd));
        }

        var count = Math.Min(lastEpochs, perEpochLoss.Count);
        var start = perEpochLoss.Count - count;
        var last = perEpochLoss.Count - 1;
        if (count < 2 || !perEpochLoss.Skip(start).All(double.IsFinite))
        {
            return new ExcessTrend(null, null, count);
        }

        var first = perEpochLoss[start] - floor;
        var final = perEpochLoss[last] - floor;
        if (!(first > 0))
        {
            return new ExcessTrend(null, null, count);
        }

        var (seFirst, seLast) = perEpochStepSd[start] is { } sdFirst && perEpochStepSd[last] is { } sdLast
            ? (sdFirst / Math.Sqrt(stepsPerEpoch), sdLast / Math.Sqrt(stepsPerEpoch))
            : (EpochSpread(perEpochLoss, start), EpochSpread(perEpochLoss, start));
        var relative = (first - final) / first;
        var error = Math.Sqrt((seLast * seLast) + (final / first * (final / first) * seFirst * seFirst)) / first;
        return new ExcessTrend(relative, error, count);
    }

    /// <summary>The spread of one epoch mean from the successive differences of the window's means.</summary>
    private static double EpochSpread(IReadOnlyList<double> losses, int start)
    {
        double sum = 0;
        var n = 0;
        for (var i = start + 1; i < losses.Count; i++, n++)
        {
            var d = losses[i] - losses[i - 1];
            sum += d * d;
        }

        return Math.Sqrt(sum / n / 2);
    }
}
