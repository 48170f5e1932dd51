namespace SweepCluster.Cluster;

/// <summary>
/// Why the coordinator refused a request. The HTTP layer maps <see cref="NotFound"/> to 404,
/// <see cref="Invalid"/> to 400 and every other kind to 409 (the request conflicts with the
/// trial's current state).
/// </summary>
public enum RefusalKind
{
    /// <summary>The sweep, trial, silo or artifact does not exist.</summary>
    NotFound,

    /// <summary>The request itself is malformed; nothing was changed.</summary>
    Invalid,

    /// <summary>The attempt number (fencing token) is not the trial's live attempt.</summary>
    StaleAttempt,

    /// <summary>The attempt is live but held by another silo.</summary>
    NotHolder,

    /// <summary>The trial's state does not allow this transition.</summary>
    InvalidTransition,
}
