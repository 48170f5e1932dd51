namespace SweepCluster.Cluster.Store;

/// <summary>How <see cref="PostgresTrialStore"/> rides out a lost connection (a PostgreSQL restart, a failover).</summary>
/// <remarks>
/// Only transient errors are retried (see <see cref="PostgresTransientErrors"/>): connection refused or
/// broken, the server shutting down or starting up, serialization failures and deadlocks. Every other
/// error (a constraint violation, a syntax error, a cancelled call) is thrown at once. Retries wait with
/// exponential back-off and jitter from <see cref="RetryBaseDelay"/> up to <see cref="RetryMaxDelay"/>, and
/// stop once <see cref="RetryBudget"/> has passed since the call's first try; the last error is then thrown.
/// So a call gives up after at most about <c>RetryBudget + RetryMaxDelay</c> plus the duration of its last try.
/// </remarks>
public sealed record PostgresStoreOptions
{
    /// <summary>How long after its first try a call stops retrying. Zero turns retries off.</summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Called before each retry (for logging); must not throw.</summary>
    public Action<PostgresRetryNotice>? OnRetry { get; init; }

    public static PostgresStoreOptions Default { get; } = new();
}
