namespace SweepCluster.Cluster.Reports;

/// <summary>One varied parameter of a configuration.</summary>
/// <param name="Key">The dotted configuration key (<c>trainer.loss_weights.recon</c>).</param>
/// <param name="Value">The value as text: strings as they are, numbers and booleans as JSON writes them, lists and objects as JSON.</param>
public sealed record MatrixParameter(string Key, string Value);
