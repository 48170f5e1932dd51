using System.Text.Json;

namespace SweepCluster.Coordinator.Contracts;

/// <summary>One expanded trial as submitted.</summary>
public sealed class TrialDefinitionDto
{
    /// <summary>Content hash of the trial's configuration and seed.</summary>
    public string? Id { get; init; }

    public string? ConfigName { get; init; }

    /// <summary>Groups the seeds of one configuration into one test-matrix row.</summary>
    public string? ConfigKey { get; init; }

    public long? Seed { get; init; }

    /// <summary>JSON object of the varied keys.</summary>
    public JsonElement? Parameters { get; init; }

    public string? Expect { get; init; }

    public string? ExpectedVerdict { get; init; }

    /// <summary>The complete resolved trial configuration (a JSON object) handed to the trainer.</summary>
    public JsonElement? Config { get; init; }

    /// <summary>What the trial needs; one slot of any kind when left out.</summary>
    public ResourcesDto? Resources { get; init; }

    /// <summary>Attempts allowed, first run included (1 to 100).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Higher runs first; 0 when left out.</summary>
    public int? Priority { get; init; }

    /// <summary>Position in the sweep; the trial's index in the list when left out.</summary>
    public int? Order { get; init; }

    /// <summary>Whether the sweep's early stopping judges this trial (default true); false for a row that opted out and reference trials.</summary>
    public bool? EarlyStopping { get; init; }
}
