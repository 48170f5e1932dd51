namespace SweepCluster.Coordinator.Security;

/// <summary>The two roles a bearer token grants; each is also the name of its authorization policy.</summary>
public static class CoordinatorRoles
{
    /// <summary>Silos: register, claim, heartbeat, report metrics and artifacts, complete, fail.</summary>
    public const string Silo = "silo";

    /// <summary>People and tools: submit, cancel, read sweeps, trials and events.</summary>
    public const string User = "user";
}
