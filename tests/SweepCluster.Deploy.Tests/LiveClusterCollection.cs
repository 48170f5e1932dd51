namespace SweepCluster.Deploy.Tests;

/// <summary>The tests that scrape one <see cref="LiveCluster"/>, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveClusterCollection : ICollectionFixture<LiveCluster>
{
    public const string Name = "Live cluster";
}
