namespace SweepCluster.Coordinator.Contracts;

/// <summary>
/// A sweep (with its revision), its file as submitted and every trial its current revision lists with its state,
/// pending reason and summary.
/// </summary>
/// <param name="RemovedTrials">Trials an earlier revision listed and the current one does not: stored, with their
/// attempts and results, but not part of the sweep's counts, progress or matrix.</param>
public sealed record SweepDetailDto(SweepSummaryDto Sweep, string SweepText, IReadOnlyList<TrialDto> Trials, IReadOnlyList<TrialDto> RemovedTrials);
