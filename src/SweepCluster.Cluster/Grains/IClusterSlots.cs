namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The silos of the cluster as the scheduler sees them: which are alive and what slots they offer, and which are gone.
/// On a silo it is Orleans membership plus each silo's static metadata; tests pass a fake.
/// </summary>
/// <remarks>Thread safe; answers from the silo's current membership view without I/O.</remarks>
public interface IClusterSlots
{
    /// <summary>Silos that are active members and offer at least one slot (ids are their Orleans addresses).</summary>
    IReadOnlyList<SiloInfo> ActiveSilos();

    /// <summary>
    /// Whether a silo is gone for good: declared dead by membership, or not a member of this cluster at all (a silo of
    /// an earlier run). Its attempts are lost.
    /// </summary>
    bool IsGone(string siloId);
}
