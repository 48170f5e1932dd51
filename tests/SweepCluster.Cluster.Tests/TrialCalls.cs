using System.Collections.Immutable;
using SweepCluster.Cluster.Grains;

namespace SweepCluster.Cluster.Tests;

/// <summary>What the trial-grain tests send and expect, shared (<c>using static</c>).</summary>
internal static class TrialCalls
{
    /// <summary>A report of <paramref name="attempt"/> on <paramref name="silo"/> at <paramref name="step"/>, with a recon loss and, when given, a checkpoint.</summary>
    public static AttemptReport Report(int attempt, string silo, long step, string? checkpoint) => new()
    {
        Attempt = attempt,
        SiloId = silo,
        Step = step,
        Metrics = ImmutableDictionary<string, double>.Empty.Add("loss.recon", 0.02),
        CheckpointRef = checkpoint,
    };

    /// <summary>The reply of <paramref name="call"/>, asserted accepted (its message is the failure's).</summary>
    public static async Task<TrialReply> AcceptAsync(Task<TrialReply> call)
    {
        var reply = await call;
        Assert.True(reply.Accepted, reply.Message);
        return reply;
    }
}
