using Orleans.Configuration;
using Orleans.Hosting;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// Failure detection and call timeouts of every SweepCluster silo and client, in one place. Both entry points
/// (<see cref="SweepClusterSiloBuilderExtensions"/>, <see cref="SweepClusterClientBuilderExtensions"/>) apply them.
/// </summary>
/// <remarks>
/// <para>
/// <b>Failover time.</b> A silo that hangs (SIGSTOP, a stuck machine) is declared dead about 9 s after the last
/// message it sent; one whose process is killed, in about 2.5 s. (Measured with two silo processes on one machine
/// and PostgreSQL clustering: SIGSTOP 8.3 s and 8.6 s, SIGKILL 2.5 s, from the signal to the other silo seeing the
/// silo Dead.) How, with Orleans 10.4's membership:
/// </para>
/// <list type="bullet">
/// <item>Each silo probes the others. <see cref="ClusterMembershipOptions.ProbeTimeout"/> (1 s) is only the first
/// probe timeout: Orleans adapts it to the measured response times, within
/// <see cref="ClusterMembershipOptions.MinProbeTimeout"/> (half of it, 0.5 s) and
/// <see cref="ClusterMembershipOptions.MaxProbeTimeout"/> (four times it, 4 s).</item>
/// <item>After <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/> (2) failed probes the prober votes the
/// silo dead, and <see cref="ClusterMembershipOptions.NumVotesForDeathDeclaration"/> (1) makes that one vote enough.
/// With the defaults (5 s, 3 missed probes, 2 votes) the vote-suppression window below alone is 20 s × 3 = 60 s.</item>
/// <item><see cref="ClusterMembershipOptions.EnableConnectionLivenessCheck"/> (left on) suppresses a vote while the
/// connection to the suspect delivered any message within <c>MaxProbeTimeout × NumMissedProbesLimit</c> = 8 s: that
/// window dominates a hang's detection (the rest is the next failed probe), and it is what keeps a silo paused for a
/// few seconds by GC or a busy machine from being evicted. A closed connection (the process exited) fails probes at
/// once, so only the missed probes count.</item>
/// <item>The declaration is gossiped to every silo at once (<see cref="ClusterMembershipOptions.UseLivenessGossip"/>);
/// <see cref="ClusterMembershipOptions.TableRefreshTimeout"/> (5 s, default 60 s) bounds how late a silo that missed
/// the gossip learns it. A silo learning of a death breaks its calls still waiting on that silo
/// (<c>SiloUnavailableException</c>) without waiting for <see cref="MessagingOptions.ResponseTimeout"/>.</item>
/// <item>Heartbeats in the table (<see cref="ClusterMembershipOptions.IAmAliveTablePublishTimeout"/> 5 s ×
/// <see cref="ClusterMembershipOptions.NumMissedTableIAmAliveLimit"/> 2, default 30 s × 3) mark a silo that stopped
/// writing them as suspect after 10 s, so every silo starts probing it, not only its regular probers.</item>
/// </list>
/// <para>
/// Left at Orleans' defaults, deliberately: <see cref="ClusterMembershipOptions.DeathVoteExpirationTimeout"/>
/// (2 min; it only decides which votes still count, and one vote suffices), and
/// <see cref="ClusterMembershipOptions.DefunctSiloExpiration"/> (7 days) with
/// <see cref="ClusterMembershipOptions.MaxDefunctSiloEntries"/> (25): dead rows stay in the membership table for
/// diagnosis and at most 25 are kept, however often silos restart.
/// </para>
/// <para>
/// <see cref="MessagingOptions.ResponseTimeout"/> is 15 s (default 30 s) on silos and clients. Grain calls never wait
/// for training, so a call that has not answered in 15 s is stuck; a call to a dead silo is broken sooner by the
/// death declaration. <see cref="GatewayOptions.GatewayListRefreshPeriod"/> is 5 s (default 1 min), so a client
/// stops choosing a dead silo's gateway within seconds too.
/// </para>
/// </remarks>
public static class SweepClusterMembership
{
    /// <summary>How long a grain call may wait for its answer, on silos and clients.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Applies the failure detection and call timeouts above to a silo.</summary>
    public static ISiloBuilder UseSweepClusterMembership(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configure<ClusterMembershipOptions>(Configure);
        builder.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = ResponseTimeout);
        return builder;
    }

    /// <summary>Applies the call timeout and gateway refresh above to a client.</summary>
    public static IClientBuilder UseSweepClusterMembership(this IClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = ResponseTimeout);
        builder.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        return builder;
    }

    /// <summary>The membership settings themselves; the remarks of <see cref="SweepClusterMembership"/> say what they give.</summary>
    public static void Configure(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
        options.NumVotesForDeathDeclaration = 1;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        options.NumMissedTableIAmAliveLimit = 2;
    }
}
