namespace SweepCluster.Silo.Wire;

/// <summary>How far an attempt has come, as its trainer last said.</summary>
public sealed record ProgressReport(long Step, long? TotalSteps, int? Epoch, int? Epochs, double? EtaSeconds);
