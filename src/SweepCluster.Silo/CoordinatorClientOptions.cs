namespace SweepCluster.Silo;

/// <summary>Retry and timeout settings of <see cref="CoordinatorClient"/>.</summary>
public sealed record CoordinatorClientOptions
{
    /// <summary>Retries after the first try, for transport errors, timeouts and 5xx answers (never 4xx).</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>First retry delay; doubles each retry, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time limit of one try; a claim gets its wait on top.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
