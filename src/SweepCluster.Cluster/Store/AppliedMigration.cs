namespace SweepCluster.Cluster.Store;

/// <summary>A schema migration recorded in <c>schema_version</c>.</summary>
public sealed record AppliedMigration(int Version, string Name, DateTimeOffset AppliedAt);
