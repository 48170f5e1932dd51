namespace SweepCluster.Cluster.Reports;

/// <summary>A PNG image panel of one trial, embedded in the HTML report.</summary>
/// <param name="Name">Display name only.</param>
public sealed record ReportPanel(string TrialId, string Name, ReadOnlyMemory<byte> Png);
