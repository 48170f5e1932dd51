namespace SweepCluster.Cluster.Reports;

/// <summary>One point of a plotted curve.</summary>
public sealed record CurvePoint(double X, double Y);
