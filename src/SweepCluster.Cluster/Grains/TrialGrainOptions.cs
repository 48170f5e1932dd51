namespace SweepCluster.Cluster.Grains;

/// <summary>How trial grains behave on a host.</summary>
public sealed class TrialGrainOptions
{
    /// <summary>
    /// A placement is taken only by the trial's activation on the silo it names; an activation elsewhere refuses it
    /// (<see cref="TrialReply.Relocating"/>) and migrates there, so the placement sent again finds the trial there.
    /// Off only for grain tests whose silo ids are not silo addresses.
    /// </summary>
    public bool RunOnPlacedSilo { get; set; } = true;
}
