namespace SweepCluster.Coordinator.Contracts;

/// <summary>How far an attempt has come, as reported by its silo.</summary>
/// <param name="Epochs">Planned epochs, when the trainer said.</param>
/// <param name="EtaSeconds">The trainer's estimate of the time left, when it gave one.</param>
public sealed record ProgressDto(long Step, long? TotalSteps, int? Epoch, int? Epochs = null, double? EtaSeconds = null);
