namespace SweepCluster.Cluster.Store;

/// <summary>A registered silo and when it was last heard from.</summary>
public sealed record SiloRecord(SiloInfo Silo, DateTimeOffset RegisteredAt, DateTimeOffset LastHeartbeatAt);
