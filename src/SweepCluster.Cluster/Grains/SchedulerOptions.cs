using SweepCluster.Cluster.Placement;

namespace SweepCluster.Cluster.Grains;

/// <summary>How the scheduler places trials; one instance per host, from its configuration.</summary>
public sealed class SchedulerOptions
{
    public PlacementPolicy Policy { get; set; } = PlacementPolicy.Pack;

    /// <summary>When set, only these sweeps' trials are scheduled (the embedded run of one file leaves the others alone).</summary>
    public IReadOnlySet<string>? OnlySweepIds { get; set; }

    /// <summary>How long a placement may stay unconfirmed before it is sent again.</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromSeconds(5);
}
