namespace SweepCluster.Cluster.Store;

/// <summary>A store call is about to be retried after a transient error.</summary>
/// <param name="Retry">1 for the first retry.</param>
/// <param name="Delay">How long the store waits before retrying.</param>
/// <param name="Error">The transient error the last try ended with.</param>
public sealed record PostgresRetryNotice(int Retry, TimeSpan Delay, Exception Error);
