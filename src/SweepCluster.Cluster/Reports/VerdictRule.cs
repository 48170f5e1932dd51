using System.Globalization;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// How a configuration's measured outcome becomes a <see cref="Verdict"/>. With G the mean
/// <c>psnr_gain_cross</c> over the succeeded seeds (dB), L their mean <c>leakage_cross</c>, and D
/// "the cross loss is going down" (a strict majority of the seeds report <c>cross_going_down = 1</c>):
/// <list type="bullet">
/// <item><b>fail</b> when G &lt;= <see cref="FailMaxPsnrGainDb"/> (0 dB: no better than the noisy input),
/// or not D, or L &gt;= <see cref="FailMinLeakage"/> (0.5: the output copies the input noise);</item>
/// <item><b>pass</b> when D and G &gt;= <see cref="PassMinPsnrGainDb"/> (1 dB) and L &lt; <see cref="PassMaxLeakage"/> (0.2);</item>
/// <item><b>partial</b> otherwise (denoises a little, or leaks some noise).</item>
/// </list>
/// The fail test comes first; with the defaults the two sets cannot overlap anyway. A configuration
/// with no succeeded seed, or whose summaries lack one of the three inputs, has no verdict.
/// </summary>
public sealed record VerdictRule
{
    public double PassMinPsnrGainDb { get; init; } = 1.0;

    public double PassMaxLeakage { get; init; } = 0.2;

    public double FailMaxPsnrGainDb { get; init; }

    public double FailMinLeakage { get; init; } = 0.5;

    public static VerdictRule Default { get; } = new();

    /// <summary>The verdict for the given means and trend; null when an input is missing.</summary>
    public Verdict? Decide(double? psnrGainCross, double? leakageCross, bool? crossGoingDown)
    {
        if (psnrGainCross is not { } gain || leakageCross is not { } leakage || crossGoingDown is not { } goingDown)
        {
            return null;
        }

        if (gain <= FailMaxPsnrGainDb || !goingDown || leakage >= FailMinLeakage)
        {
            return Verdict.Fail;
        }

        return gain >= PassMinPsnrGainDb && leakage < PassMaxLeakage ? Verdict.Pass : Verdict.Partial;
    }

    /// <summary>The rule in one sentence, for the report's header.</summary>
    public string Describe() => string.Format(
        CultureInfo.InvariantCulture,
        "pass: cross loss going down (majority of seeds) and PSNR gain (cross) >= {0} dB and leakage (cross) < {1}; "
        + "fail: PSNR gain (cross) <= {2} dB or cross loss not going down or leakage (cross) >= {3}; "
        + "partial: otherwise. Means over the succeeded seeds.",
        PassMinPsnrGainDb, PassMaxLeakage, FailMaxPsnrGainDb, FailMinLeakage);

    /// <summary>Reads an expected verdict as written in a sweep file (<c>pass</c>, <c>partial</c>, <c>fail</c>, any case); null for anything else.</summary>
    public static Verdict? ParseExpected(string? expected) =>
        expected?.Trim().ToLowerInvariant() switch
        {
            "pass" => Verdict.Pass,
            "partial" => Verdict.Partial,
            "fail" => Verdict.Fail,
            _ => null,
        };
}
