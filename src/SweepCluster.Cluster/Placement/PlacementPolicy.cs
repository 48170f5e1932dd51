namespace SweepCluster.Cluster.Placement;

/// <summary>Which silo a trial goes to when several have room.</summary>
public enum PlacementPolicy
{
    /// <summary>The silo with the fewest free slots: fills machines one by one and keeps whole
    /// machines free for multi-GPU trials.</summary>
    Pack,

    /// <summary>The silo with the most free slots: spreads load (and the blast radius of a lost silo).</summary>
    Spread,
}
