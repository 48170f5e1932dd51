namespace SweepCluster.Cluster;

/// <summary>What a silo must do with an attempt it reported in a heartbeat.</summary>
public enum HeldAttemptVerdict
{
    /// <summary>Keep running; the lease was renewed.</summary>
    Continue,

    /// <summary>The trial was cancelled: stop the attempt and report nothing more.</summary>
    Cancel,

    /// <summary>The attempt is no longer this silo's (lease lost, superseded or unknown): stop it; its reports will be refused.</summary>
    Release,
}
