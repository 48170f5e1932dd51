using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Grains;

/// <summary>A sweep grain's answer: accepted or refused (and why), with what a submission did or how many trials a cancel stopped.</summary>
[GenerateSerializer]
[Alias("sweepcluster.sweep-reply")]
public sealed record SweepReply
{
    [Id(0)]
    public required bool Accepted { get; init; }

    /// <summary>The <see cref="RefusalKind"/> name of a refusal.</summary>
    [Id(1)]
    public string? Refusal { get; init; }

    [Id(2)]
    public string Message { get; init; } = "";

    [Id(3)]
    public SubmitResult? Submitted { get; init; }

    [Id(4)]
    public int Cancelled { get; init; }

    public Refusal? ToRefusal() => Refusal is null ? null : new Refusal(Enum.Parse<RefusalKind>(Refusal), Message);
}
