namespace SweepCluster.Denoising.Evaluation;

/// <summary>
/// The least-squares slope of ln(loss) against epoch over the last epochs: a relative rate, -0.05 means about 5 %
/// lower per epoch. Reported as <c>cross_slope</c> for reading only; whether the loss is going down is judged on its
/// excess over the noise floor (<see cref="ExcessTrend"/>), because a raw loss that sits on its floor cannot fall.
/// </summary>
/// <param name="Slope">Slope of ln(loss) per epoch; null with fewer than two epochs.</param>
/// <param name="Epochs">Number of epochs the fit used.</param>
public sealed record LossTrend(double? Slope, int Epochs)
{
    /// <summary>Fits the last <paramref name="lastEpochs"/> values (or all, if fewer) of a per-epoch loss.</summary>
    /// <exception cref="ArgumentException">A loss that is not positive and finite (its logarithm is undefined).</exception>
    public static LossTrend Fit(IReadOnlyList<double> perEpochCrossLoss, int lastEpochs)
    {
        ArgumentNullException.ThrowIfNull(perEpochCrossLoss);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lastEpochs);
        var count = Math.Min(lastEpochs, perEpochCrossLoss.Count);
        var start = perEpochCrossLoss.Count - count;
        for (var i = start; i < perEpochCrossLoss.Count; i++)
        {
            if (!(perEpochCrossLoss[i] > 0) || !double.IsFinite(perEpochCrossLoss[i]))
            {
                throw new ArgumentException($"Loss of epoch {i + 1} is {perEpochCrossLoss[i]}; a trend needs positive finite losses.", nameof(perEpochCrossLoss));
            }
        }

        if (count < 2)
        {
            return new LossTrend(null, count);
        }

        double meanX = 0, meanY = 0;
        for (var i = 0; i < count; i++)
        {
            meanX += i;
            meanY += Math.Log(perEpochCrossLoss[start + i]);
        }

        meanX /= count;
        meanY /= count;
        double sxy = 0, sxx = 0;
        for (var i = 0; i < count; i++)
        {
            sxy += (i - meanX) * (Math.Log(perEpochCrossLoss[start + i]) - meanY);
            sxx += (i - meanX) * (i - meanX);
        }

        return new LossTrend(sxy / sxx, count);
    }
}
