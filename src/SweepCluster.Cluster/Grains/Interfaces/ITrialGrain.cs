using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The grain of one trial, keyed by the trial's id (the content hash of its configuration). It holds the trial's
/// durable state machine (<see cref="TrialMachine"/>): phase, attempts, checkpoint, pending reason.
/// </summary>
/// <remarks>
/// Calls are handled one at a time (the grain is not reentrant). Every call returns once the state is stored; none
/// waits for training. Every event of an attempt names its number, which fences it: an event of any attempt but the
/// live one is refused (<see cref="TrialReply.Accepted"/> false, <c>StaleAttempt</c>) and changes nothing. Retried
/// events that were already applied are accepted without a write.
/// </remarks>
[Alias("sweepcluster.ITrialGrain")]
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>Creates the trial as pending (idempotent for the same sweep).</summary>
    [Alias("create")]
    Task<TrialReply> CreateAsync(TrialDefinition definition);

    /// <summary>
    /// Places the pending trial on a silo as the next attempt; the silo's runner is asked to start it. A placement
    /// carrying the definition creates the trial first if its grain has no state. An activation on another silo than
    /// the one named refuses it with <see cref="TrialReply.Relocating"/> and moves.
    /// </summary>
    [Alias("place")]
    Task<TrialReply> PlaceAsync(AttemptPlacement placement);

    /// <summary>The runner started the attempt's child process.</summary>
    [Alias("attempt-started")]
    Task<TrialReply> AttemptStartedAsync(int attempt, string siloId);

    /// <summary>Progress of the live attempt: step, metrics, checkpoint.</summary>
    [Alias("report")]
    Task<TrialReply> ReportAsync(AttemptReport report);

    /// <summary>The attempt's child process ended.</summary>
    [Alias("attempt-ended")]
    Task<TrialReply> AttemptEndedAsync(AttemptEnd end);

    /// <summary>Membership declared the silo dead; a live attempt there is requeued as the next attempt.</summary>
    [Alias("silo-lost")]
    Task<TrialReply> SiloLostAsync(string siloId);

    /// <summary>
    /// Metric points and progress of the live attempt. The points go to the metrics table (idempotent on trial,
    /// attempt, step and name); a non-finite loss fails the trial ("diverged at step N (loss.X = NaN)").
    /// </summary>
    [Alias("metrics")]
    Task<TrialReply> ReportMetricsAsync(int attempt, string siloId, ImmutableArray<MetricRecord> points, AttemptProgressReport? progress);

    /// <summary>Stores a file of the live attempt; a checkpoint becomes the trial's resume point. The reply carries the artifact id.</summary>
    [Alias("artifact")]
    Task<TrialReply> PutArtifactAsync(AttemptArtifact artifact);

    /// <summary>The configuration and resume checkpoint of the live attempt, for the silo that holds it only.</summary>
    [Alias("launch")]
    Task<AttemptLaunch> GetLaunchAsync(int attempt, string siloId);

    [Alias("cancel")]
    Task<TrialReply> CancelAsync();

    /// <summary>
    /// The sweep's early stopping pruned the trial's configuration: an unfinished trial ends as pruned, with
    /// <paramref name="reason"/>, and a live attempt is stopped. A trial never placed (no state) is pruned on its row.
    /// A repeat changes nothing.
    /// </summary>
    [Alias("prune")]
    Task<TrialReply> PruneAsync(string reason, int epoch);

    /// <summary>The stored state, for status pages and tests.</summary>
    [Alias("get")]
    Task<TrialView> GetAsync();
}
