using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>A trial grain's answer to an event: accepted or refused (and why), where the trial now stands, and the decisions taken.</summary>
[GenerateSerializer]
[Alias("sweepcluster.trial-reply")]
public sealed record TrialReply
{
    /// <summary>The refusal of a placement that reached the trial's activation on another silo: it moves, send it again.</summary>
    public const string Relocating = "Relocating";

    [Id(0)]
    public required bool Accepted { get; init; }

    /// <summary>The <see cref="RefusalKind"/> name of a refused event (<c>StaleAttempt</c>, <c>NotHolder</c>...); null when accepted.</summary>
    [Id(1)]
    public string? Refusal { get; init; }

    [Id(2)]
    public required string Message { get; init; }

    [Id(3)]
    public required TrialPhase Phase { get; init; }

    [Id(4)]
    public required int CurrentAttempt { get; init; }

    [Id(5)]
    public ImmutableArray<TrialDecision> Decisions { get; init; } = [];

    /// <summary>The id of the artifact a <c>PutArtifactAsync</c> stored.</summary>
    [Id(6)]
    public string? ArtifactId { get; init; }
}
