using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo;

/// <summary>
/// Where one attempt's runner reports: the trial grain of its trial, every call naming the attempt. A call the trial
/// refuses because the attempt is no longer live throws <see cref="AttemptRevokedException"/>; other exceptions are
/// transient (the grain's silo is down, storage restarts) and the runner retries what it cannot lose.
/// </summary>
internal interface IAttemptReporter
{
    /// <summary>The configuration to train with and the checkpoint to resume from (null to start from scratch).</summary>
    Task<(string ConfigJson, byte[]? Checkpoint)> PrepareAsync(CancellationToken cancellationToken);

    /// <summary>The child process started.</summary>
    Task StartedAsync(CancellationToken cancellationToken);

    Task ReportMetricsAsync(IReadOnlyList<MetricPointReport> points, ProgressReport? progress, CancellationToken cancellationToken);

    /// <returns>The stored artifact's id.</returns>
    Task<string> UploadArtifactAsync(string kind, string name, long? step, byte[] content, CancellationToken cancellationToken);

    Task CompleteAsync(string summaryJson, CancellationToken cancellationToken);

    Task FailAsync(string error, CancellationToken cancellationToken);
}
