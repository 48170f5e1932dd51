namespace SweepCluster.Cluster.Store;

/// <summary>One embedded schema migration.</summary>
internal sealed record MigrationScript(int Version, string Name, string Sql);
