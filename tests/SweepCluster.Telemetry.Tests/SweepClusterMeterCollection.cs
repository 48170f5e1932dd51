namespace SweepCluster.Telemetry.Tests;

/// <summary>Tests that set the process-wide SweepCluster sources run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SweepClusterMeterCollection
{
    public const string Name = "SweepCluster meter";
}
