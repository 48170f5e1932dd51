namespace SweepCluster.Cluster.Reports;

/// <summary>The paths <see cref="ReportWriter.WriteAsync"/> wrote.</summary>
public sealed record ReportFiles(string Markdown, string Csv, string Json, string Html);
