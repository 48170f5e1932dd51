using SweepCluster.Coordinator.Contracts;

namespace SweepCluster.Coordinator.Web;

/// <summary>
/// One poll of a sweep's page: the new cursor, the sweep's status, the trials touched since the cursor (every trial on
/// the first poll, <see cref="Full"/>) and the test matrix when it may have changed (the first poll, or a trial reached
/// a terminal state); otherwise <see cref="Matrix"/> is null and the page keeps the one it has.
/// </summary>
/// <param name="Cursor">The event id to pass as <c>after</c> next time.</param>
/// <param name="Sweep">The sweep's definition and counts; on the first poll only.</param>
public sealed record SweepViewDto(long Cursor, bool Full, SweepSummaryDto? Sweep, SweepStatusDto Status, IReadOnlyList<TrialDto> Trials, MatrixViewDto? Matrix);

/// <summary>A sweep of the list with its status.</summary>
public sealed record SweepListItemDto(SweepSummaryDto Sweep, SweepStatusDto Status);

/// <summary>Trial counts per state name, how many finished, progress (0 to 1) and the estimated seconds left (null: no estimate yet).</summary>
public sealed record SweepStatusDto(IReadOnlyDictionary<string, int> Counts, int Total, int Finished, double Progress, double? EtaSeconds);

/// <summary>The matrix as report.html shows it: the same headers and cell texts, the verdict rule and the reference levels.</summary>
public sealed record MatrixViewDto(
    IReadOnlyList<string> Headers, int VerdictColumn, IReadOnlyList<MatrixRowViewDto> Rows, IReadOnlyList<string> Warnings, string Rule, string VerdictBasis,
    IReadOnlyList<PlotLevelDto> References);

/// <summary>One table row: its cells, its verdict (pass, partial, fail; null for none) and whether it has curves and panels.</summary>
public sealed record MatrixRowViewDto(string ConfigKey, string ConfigName, string Kind, string? Verdict, bool HasSection, IReadOnlyList<string> Cells,
    IReadOnlyList<string> TrialIds);

/// <summary>A horizontal line of a plot: a noise floor or a reference level.</summary>
public sealed record PlotLevelDto(string Label, double Value);

/// <summary>
/// One configuration's curves (one series per seed, as report.html draws them) and panels. The loss is the excess over the
/// configuration's measured noise floor when it has one (<see cref="LossIsExcess"/>), else the cross loss itself.
/// </summary>
public sealed record ConfigViewDto(string ConfigKey, string ConfigName, string Status, IReadOnlyList<long> Seeds, IReadOnlyList<string> Parameters,
    bool LossIsExcess, double? NoiseFloor, IReadOnlyList<CurveDto> Loss, IReadOnlyList<CurveDto> Psnr, IReadOnlyList<PlotLevelDto> References,
    IReadOnlyList<PanelDto> Panels);

/// <summary>One seed's curve: x and y in step with each other.</summary>
public sealed record CurveDto(string TrialId, long Seed, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>An image panel of a succeeded trial's final attempt; its bytes are at the trial's artifact address.</summary>
public sealed record PanelDto(string TrialId, string ArtifactId, string Name);

/// <summary>The cluster page: silos and their slots, what runs where, and where the Orleans dashboard and Grafana are.</summary>
public sealed record ClusterViewDto(IReadOnlyList<SiloDto> Silos, IReadOnlyList<AllocationDto> Allocations, string Dashboard, string? Grafana);

/// <summary>An attempt holding slots of a silo.</summary>
public sealed record AllocationDto(string TrialId, string SweepId, int Attempt, string SiloId, IReadOnlyList<string> SlotIds, DateTimeOffset PlacedAt);
