namespace SweepCluster.Cluster.Lifecycle;

/// <summary>How far an attempt has come, as its last progress report said.</summary>
/// <param name="TotalSteps">The planned number of steps, when the trainer knows it.</param>
public sealed record AttemptProgress(long Step, long? TotalSteps, int? Epoch);
