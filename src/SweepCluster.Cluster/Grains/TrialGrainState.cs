using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The durable state of one trial grain: its phase, its attempts, the checkpoint the next attempt resumes from and
/// why a pending trial waits. <see cref="TrialMachine"/> computes every change; the grain only persists it.
/// </summary>
/// <remarks>
/// This state outlives the code that writes it. Versioning rules: add members with new ids and defaults that read
/// well for state written before them; never reuse, renumber or retype an id; keep the alias.
/// </remarks>
[GenerateSerializer]
[Alias("sweepcluster.trial-state")]
public sealed record TrialGrainState
{
    /// <summary>Empty until the trial is created; a grain with an empty id has never been created.</summary>
    [Id(0)]
    public string TrialId { get; init; } = "";

    [Id(1)]
    public string SweepId { get; init; } = "";

    [Id(2)]
    public TrialPhase Phase { get; init; }

    [Id(3)]
    public int MaxAttempts { get; init; }

    /// <summary>Number of the latest attempt; 0 before the first placement.</summary>
    [Id(4)]
    public int CurrentAttempt { get; init; }

    /// <summary>Every attempt so far, oldest first; the last one is the current attempt.</summary>
    [Id(5)]
    public ImmutableArray<AttemptRecord> Attempts { get; init; } = [];

    /// <summary>The last checkpoint an attempt reported; the next attempt resumes from it.</summary>
    [Id(6)]
    public string? CheckpointRef { get; init; }

    /// <summary>The training step <see cref="CheckpointRef"/> was written at.</summary>
    [Id(7)]
    public long? CheckpointStep { get; init; }

    /// <summary>Why a pending trial is not running, in words; null otherwise.</summary>
    [Id(8)]
    public string? PendingReason { get; init; }

    /// <summary>Why a failed trial failed, in words; null otherwise.</summary>
    [Id(9)]
    public string? FailureReason { get; init; }

    /// <summary>The trainer's summary of a succeeded trial.</summary>
    [Id(10)]
    public string? SummaryJson { get; init; }

    /// <summary>The highest step any accepted report named.</summary>
    [Id(11)]
    public long LastStep { get; init; }

    [Id(12)]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>What the trial runs and needs (configuration, resources, queue position); null in state written before it existed.</summary>
    [Id(13)]
    public TrialDefinition? Definition { get; init; }

    /// <summary>Why the sweep's early stopping pruned the trial, in words; null unless <see cref="TrialPhase.Pruned"/>.</summary>
    [Id(14)]
    public string? PrunedReason { get; init; }

    /// <summary>The epoch the trial was judged at when it was pruned.</summary>
    [Id(15)]
    public int? PrunedAtEpoch { get; init; }

    public bool IsCreated => TrialId.Length > 0;

    public bool IsFinal => Phase is TrialPhase.Succeeded or TrialPhase.Failed or TrialPhase.Cancelled or TrialPhase.Pruned;

    /// <summary>The current attempt; null before the first placement.</summary>
    public AttemptRecord? Attempt => Attempts.IsDefaultOrEmpty ? null : Attempts[^1];
}
