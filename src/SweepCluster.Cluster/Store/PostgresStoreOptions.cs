namespace SweepCluster.Cluster.Store;

/// <summary>How <see cref="SqlTrialStore"/> on PostgreSQL rides out a lost connection (a PostgreSQL restart, a failover).</summary>
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

    /// <summary>
    /// How long the server keeps a session that is idle inside a transaction before it ends it, releasing its row locks
    /// (PostgreSQL's <c>idle_in_transaction_session_timeout</c>, set for each of the store's sessions). A process cut off
    /// from the database between two statements of a write (a silo whose network went down) would otherwise hold its
    /// trial's row until TCP gives up on it, hours later, and every activation of that trial elsewhere would wait for it.
    /// The store's transactions are a few statements long, so a live writer is never idle that long. Zero leaves the
    /// server's setting. The server also probes a silent client's connection (TCP keepalives after 5 s, every 2 s, 3
    /// tries). A connection string that sets <c>Options</c> itself is left as it is; behind a pooler that refuses startup
    /// options (PgBouncer: add <c>options</c> to its <c>ignore_startup_parameters</c>), set the timeout on the server.
    /// </summary>
    public TimeSpan IdleInTransactionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Called before each retry (for logging); must not throw.</summary>
    public Action<PostgresRetryNotice>? OnRetry { get; init; }

    public static PostgresStoreOptions Default { get; } = new();
}
