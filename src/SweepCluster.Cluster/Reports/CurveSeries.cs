namespace SweepCluster.Cluster.Reports;

/// <summary>One trial's (seed's) curve of one metric, in x order.</summary>
public sealed record CurveSeries(string TrialId, long Seed, IReadOnlyList<CurvePoint> Points);
