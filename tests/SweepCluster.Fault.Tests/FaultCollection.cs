namespace SweepCluster.Fault.Tests;

/// <summary>
/// Every fault test starts a whole cluster of real processes; they run one at a time so that
/// they do not starve each other of the machine's cores and their timings stay meaningful.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Cluster faults";
}
