namespace SweepCluster.Cluster.Reports;

/// <summary>A horizontal line drawn across a report plot: a noise floor or a reference level.</summary>
/// <param name="Label">The legend's name of the line; the value is added to it.</param>
internal sealed record PlotLevel(string Label, double Value);
