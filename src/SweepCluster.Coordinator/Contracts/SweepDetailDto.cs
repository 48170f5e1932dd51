namespace SweepCluster.Coordinator.Contracts;

/// <summary>A sweep, its file as submitted and every trial with its state, pending reason and summary.</summary>
public sealed record SweepDetailDto(SweepSummaryDto Sweep, string SweepText, IReadOnlyList<TrialDto> Trials);
