using System.Globalization;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// How a configuration's measured outcome becomes a <see cref="Verdict"/>, stated relative to the sweep's references
/// when it has a supervised cross reference. With F the fraction of the gap closed,
/// <c>F = (psnr_cross - psnr_noisy) / (psnr_cross of the supervised cross reference - psnr_noisy)</c> (means over
/// the succeeded seeds), L the mean <c>leakage_cross</c>, D "the excess cross loss is going down" (a strict majority
/// of the seeds report <c>cross_going_down = 1</c>: its relative decrease over the trend window exceeds twice its
/// uncertainty) and B "the cross loss is below its noise floor" (a strict majority report <c>cross_below_floor = 1</c>):
/// <list type="bullet">
/// <item><b>fail</b> when F &lt;= <see cref="FailMaxGapClosed"/> (0.1), or L &gt;= <see cref="FailMinLeakage"/> (0.5),
/// or B (the output copies the target's noise);</item>
/// <item><b>pass</b> when F &gt;= <see cref="PassMinGapClosed"/> (0.5) and L &lt; <see cref="PassMaxLeakage"/> (0.2)
/// and D;</item>
/// <item><b>partial</b> otherwise.</item>
/// </list>
/// Without a supervised cross reference (or one that does not beat the noisy input, so F has no denominator) the
/// older absolute rule applies, and the report says so: with G the mean <c>psnr_gain_cross</c> (dB), fail when
/// G &lt;= <see cref="FailMaxPsnrGainDb"/> (0 dB) or not D or L &gt;= 0.5; pass when D and G &gt;=
/// <see cref="PassMinPsnrGainDb"/> (1 dB) and L &lt; 0.2; partial otherwise. The fail test comes first in both. A
/// configuration whose summaries lack an input has no verdict.
/// </summary>
public sealed record VerdictRule
{
    /// <summary>Pass needs at least this fraction of the gap between the noisy input and the supervised ceiling closed.</summary>
    public double PassMinGapClosed { get; init; } = 0.5;

    /// <summary>At or below this fraction of the gap closed is a fail.</summary>
    public double FailMaxGapClosed { get; init; } = 0.1;

    /// <summary>Fallback rule only (no supervised reference).</summary>
    public double PassMinPsnrGainDb { get; init; } = 1.0;

    public double PassMaxLeakage { get; init; } = 0.2;

    /// <summary>Fallback rule only (no supervised reference).</summary>
    public double FailMaxPsnrGainDb { get; init; }

    public double FailMinLeakage { get; init; } = 0.5;

    public static VerdictRule Default { get; } = new();

    /// <summary>
    /// The verdict relative to the references; null when an input is missing. A missing <paramref name="crossBelowFloor"/>
    /// (summaries from before the floor was measured) counts as not below.
    /// </summary>
    public Verdict? DecideRelative(double? gapClosed, double? leakageCross, bool? crossGoingDown, bool? crossBelowFloor)
    {
        if (gapClosed is not { } f || leakageCross is not { } leakage || crossGoingDown is not { } goingDown)
        {
            return null;
        }

        if (f <= FailMaxGapClosed || leakage >= FailMinLeakage || crossBelowFloor == true)
        {
            return Verdict.Fail;
        }

        return f >= PassMinGapClosed && leakage < PassMaxLeakage && goingDown ? Verdict.Pass : Verdict.Partial;
    }

    /// <summary>The fallback verdict without a supervised reference, from the absolute PSNR gain; null when an input is missing.</summary>
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

    /// <summary>The rule in words, for the report's header: the relative rule, then the fallback.</summary>
    public string Describe() => Describe(relative: true) + " " + Describe(relative: false);

    /// <summary>The relative rule (<paramref name="relative"/>) or the fallback rule alone.</summary>
    public string Describe(bool relative) => relative
        ? string.Format(
            CultureInfo.InvariantCulture,
            "With F = (PSNR cross - PSNR noisy) / (PSNR cross of the supervised cross reference - PSNR noisy), the fraction of the gap closed: "
            + "pass: F >= {0} and leakage (cross) < {1} and the excess cross loss (over its noise floor) going down (its relative decrease over the trend window "
            + "exceeds twice its uncertainty; majority of seeds); fail: F <= {2} or leakage (cross) >= {3} or the cross loss below its noise floor "
            + "(the output copies the target's noise; majority of seeds); partial: otherwise. Means over the succeeded seeds.",
            PassMinGapClosed, PassMaxLeakage, FailMaxGapClosed, FailMinLeakage)
        : string.Format(
            CultureInfo.InvariantCulture,
            "Without a supervised cross reference: pass: cross loss going down (majority of seeds) and PSNR gain (cross) >= {0} dB and leakage (cross) < {1}; "
            + "fail: PSNR gain (cross) <= {2} dB or cross loss not going down or leakage (cross) >= {3}; partial: otherwise.",
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
