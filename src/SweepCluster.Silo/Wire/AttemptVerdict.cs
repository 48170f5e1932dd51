namespace SweepCluster.Silo.Wire;

/// <summary>What the coordinator says about a held attempt.</summary>
public enum AttemptVerdict
{
    /// <summary>Keep running; the lease was renewed.</summary>
    Continue,

    /// <summary>The trial was cancelled: kill the child, report nothing more.</summary>
    Cancel,

    /// <summary>The attempt is no longer this silo's: kill the child, report nothing more.</summary>
    Release,
}
