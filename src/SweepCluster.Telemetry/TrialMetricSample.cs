namespace SweepCluster.Telemetry;

/// <summary>The latest values reported for one trial, as held by <see cref="TrialMetricRegistry"/>.</summary>
/// <param name="SweepId">The trial's sweep (label <c>sweep</c>).</param>
/// <param name="TrialId">The trial's content-hash id (label <c>trial</c>).</param>
/// <param name="ConfigName">The configuration's display name (label <c>config</c>).</param>
/// <param name="Losses">Latest loss per term (<c>content</c>, <c>recon</c>, <c>cross</c>, ...; label <c>term</c>).</param>
/// <param name="Psnr">Latest cross PSNR in dB, when one was reported.</param>
/// <param name="Leakage">Latest cross noise-leakage index, when one was reported.</param>
public sealed record TrialMetricSample(
    string SweepId,
    string TrialId,
    string ConfigName,
    IReadOnlyDictionary<string, double> Losses,
    double? Psnr,
    double? Leakage);
