namespace SweepCluster.Fault.Tests;

/// <summary>
/// Upper bounds of the fault tests' waits. They only end a test that is stuck: generous enough for a machine whose
/// cores are busy with other work (starting a .NET process there can take tens of seconds), never infinite.
/// </summary>
public static class FaultTimeouts
{
    /// <summary>A coordinator or silo process starting and joining the cluster.</summary>
    public static readonly TimeSpan Start = TimeSpan.FromMinutes(3);

    /// <summary>A tiny trial training (or a sweep finishing).</summary>
    public static readonly TimeSpan Training = TimeSpan.FromMinutes(5);

    /// <summary>A lost silo's trial placed again and its resumed attempt reporting its first step.</summary>
    public static readonly TimeSpan Failover = TimeSpan.FromMinutes(2);
}
