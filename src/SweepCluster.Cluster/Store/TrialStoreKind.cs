namespace SweepCluster.Cluster.Store;

/// <summary>The database behind an <see cref="ITrialStore"/>.</summary>
public enum TrialStoreKind
{
    Sqlite,
    Postgres,
}
