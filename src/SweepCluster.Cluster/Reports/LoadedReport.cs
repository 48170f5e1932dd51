namespace SweepCluster.Cluster.Reports;

/// <summary>A sweep's matrix and the panels of its succeeded trials, ready for <see cref="ReportWriter"/>.</summary>
public sealed record LoadedReport(TestMatrix Matrix, IReadOnlyList<ReportPanel> Panels);
