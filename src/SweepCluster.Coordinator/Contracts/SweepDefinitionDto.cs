using SweepCluster.Cluster;

namespace SweepCluster.Coordinator.Contracts;

/// <summary>A sweep's metadata as submitted. Every member but <see cref="CreatedAt"/> and <see cref="Description"/> is required.</summary>
public sealed class SweepDefinitionDto
{
    /// <summary>Content hash of the sweep, chosen by the caller.</summary>
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? Question { get; init; }

    public string? ObjectiveMetric { get; init; }

    public ObjectiveGoal? ObjectiveGoal { get; init; }

    /// <summary>The sweep file as written, kept verbatim.</summary>
    public string? SweepText { get; init; }

    /// <summary>When the sweep was created; the coordinator's clock when left out.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The sweep's early stopping; null: every trial runs to the end.</summary>
    public EarlyStoppingDto? EarlyStopping { get; init; }
}
