namespace SweepCluster.Fault.Tests;

/// <summary>
/// Every fault test starts a whole cluster of real processes; they run one at a time so that they do not starve
/// each other of the machine's cores and their timings stay meaningful. They share one PostgreSQL server (each test
/// on its own database); the partition test starts its own, reachable from its network namespace.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection : ICollectionFixture<FaultPostgres>
{
    public const string Name = "Cluster faults";
}
