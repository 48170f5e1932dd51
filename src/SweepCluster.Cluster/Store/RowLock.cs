namespace SweepCluster.Cluster.Store;

/// <summary>How strongly a write transaction keeps the rows it decides on from other writers.</summary>
internal enum RowLock
{
    /// <summary>Others may read and share-lock the rows, but not change them.</summary>
    Share,

    /// <summary>Nobody else may lock or change the rows.</summary>
    Update,
}
