namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// How the embedded mode's single silo runs: localhost clustering, grain state in one SQLite file under the state
/// directory, in-memory reminders.
/// </summary>
public sealed class EmbeddedOrleansOptions
{
    /// <summary>The state directory (<c>.sweepcluster</c>); created if missing.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>
    /// The grain state file inside <see cref="StateDirectory"/>. A file of its own rather than the store's
    /// <c>sweepcluster.db</c>: the two schemas version and migrate independently, and the grain state file is
    /// locked by one silo process at a time.
    /// </summary>
    public string GrainStateFileName { get; init; } = "grains.db";

    /// <summary>
    /// Keys the stored grain state together with each grain's id; it must stay the same across runs on one state
    /// directory, or the state written before is not found.
    /// </summary>
    public string ServiceId { get; init; } = SweepClusterSiloBuilderExtensions.DefaultServiceId;

    public string ClusterId { get; init; } = "embedded";

    /// <summary>
    /// The silo-to-silo port on 127.0.0.1. Null (the default) takes a free port at start-up, so two embedded runs
    /// on one machine never collide (Orleans refuses port 0 for the silo port, so the port is chosen before the silo
    /// binds it; another process taking it in between makes the start fail, and a re-run picks another).
    /// </summary>
    public int? SiloPort { get; init; }

    /// <summary>The client gateway port on 127.0.0.1; 0 (the default) runs no gateway: the process's own code talks to its silo in-process.</summary>
    public int GatewayPort { get; init; }

    /// <summary>The slots and labels this silo advertises through its silo metadata; null advertises none.</summary>
    public SiloInfo? Silo { get; init; }

    /// <summary>The full path of the grain state file.</summary>
    public string GrainStatePath => Path.GetFullPath(Path.Combine(StateDirectory, GrainStateFileName));
}
