namespace SweepCluster.Coordinator.Security;

/// <summary>The two roles a bearer token grants; each is also the name of its authorization policy.</summary>
public static class CoordinatorRoles
{
    /// <summary>
    /// The silo token, when one is configured: no endpoint accepts it (silos report to their trial grains over the cluster
    /// network, not over HTTP), so a request carrying it is refused with 403.
    /// </summary>
    public const string Silo = "silo";

    /// <summary>People and tools: submit, cancel, read sweeps, trials and events.</summary>
    public const string User = "user";
}
