using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>
/// A validated sweep file. Built by <see cref="SweepLoader"/>; expanded to trials by
/// <see cref="SweepExpander"/>. Every override in it names an existing config key.
/// </summary>
public sealed record SweepSpec
{
    /// <summary>The file the spec was read from (as given to the loader).</summary>
    public required string File { get; init; }

    /// <summary>The sweep's name.</summary>
    public required string Name { get; init; }

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }

    /// <summary>The question the sweep answers, shown above its test matrix.</summary>
    public string? Question { get; init; }

    /// <summary>The metric that ranks configurations, or null.</summary>
    public SweepObjective? Objective { get; init; }

    /// <summary>The top-level <c>preset</c>, applied over the schema defaults first, or null.</summary>
    public SweepPreset? Preset { get; init; }

    /// <summary>Applied over the schema defaults and the top-level <see cref="Preset"/>.</summary>
    public IReadOnlyList<ConfigOverride> Base { get; init; } = [];

    /// <summary>The named rows; empty means one implicit row that changes nothing.</summary>
    public IReadOnlyList<MatrixRow> Matrix { get; init; } = [];

    /// <summary>The cartesian grid axes, first axis varying slowest.</summary>
    public IReadOnlyList<GridAxis> Grid { get; init; } = [];

    /// <summary>Random samples crossed with every row and grid point, or null.</summary>
    public RandomSearch? Random { get; init; }

    /// <summary>The seeds every configuration is repeated with; null keeps the config's own seed.</summary>
    public IReadOnlyList<long>? Seeds { get; init; }

    /// <summary>Named staged loss-weight schedules (the <c>trainer.schedule</c> list format).</summary>
    public IReadOnlyDictionary<string, JsonArray> Schedules { get; init; } = new Dictionary<string, JsonArray>();

    /// <summary>Trials are kept only where this holds for their resolved config.</summary>
    public Condition? When { get; init; }

    /// <summary>The profiles, by name, in file order.</summary>
    public IReadOnlyList<SweepProfile> Profiles { get; init; } = [];

    /// <summary>The profile used when the caller names none; null means none.</summary>
    public string? DefaultProfile { get; init; }

    /// <summary>What each trial needs from a slot.</summary>
    public ResourceRequest Resources { get; init; } = ResourceRequest.None;

    /// <summary>How many attempts a trial gets before it is failed.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Higher runs first.</summary>
    public int Priority { get; init; }

    /// <summary>
    /// The reference levels the test matrix shows beside the configurations, in file order; a
    /// <see cref="SweepReference.SupervisedCross"/> entry adds reference trials at expansion.
    /// </summary>
    public IReadOnlyList<SweepReference> References { get; init; } = [];

    /// <summary>The sweep's <c>early_stopping</c> block, or null (no early stopping unless a profile sets it).</summary>
    public EarlyStoppingBlock? EarlyStopping { get; init; }

    /// <summary>Where the document starts; used for problems that have no better position.</summary>
    public required SourceLocation Location { get; init; }
}
