namespace SweepCluster.Sweeps;

/// <summary>The distributions a random search draws from.</summary>
public enum DistributionKind
{
    /// <summary>Uniform real in [low, high).</summary>
    Uniform,

    /// <summary>Real whose logarithm is uniform in [ln low, ln high); low must be positive.</summary>
    LogUniform,

    /// <summary>Uniform integer in [low, high], both ends included.</summary>
    IntUniform,

    /// <summary>One of a list of values, each equally likely.</summary>
    Choice,
}
