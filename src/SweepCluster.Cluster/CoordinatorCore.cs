using System.Collections.Immutable;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster;

/// <summary>
/// What the HTTP API asks of the cluster, without a transport: submissions and cancellations go to the sweep's grain
/// (the authority over its trials, with the scheduler and the trial grains), and everything read comes from the
/// relational record the grains keep (trial rows, attempts, metric points, artifacts, events).
/// </summary>
/// <remarks>Thread safe; holds no state of its own.</remarks>
public sealed class CoordinatorCore(ITrialStore store, IGrainFactory grains, IClusterSlots cluster)
{
    /// <summary>
    /// Stores a sweep and its trials as pending and has the scheduler take them, or, when a sweep of the same id is
    /// stored, applies the revision rule (<see cref="Revisions.SweepRevisions"/>): the same definition again changes
    /// nothing; a different one becomes the next revision, which keeps the trials both list (and their results), adds
    /// the new ones and removes (cancelling if unfinished) those no longer listed.
    /// </summary>
    public async Task<Outcome<SubmitResult>> SubmitSweepAsync(NewSweep sweep, IReadOnlyList<NewTrial> trials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        if (SweepValidation.Validate(sweep, trials) is { } invalid)
        {
            return invalid;
        }

        var reply = await grains.GetGrain<ISweepGrain>(sweep.Id).SubmitAsync(sweep, [.. trials]).WaitAsync(cancellationToken);
        return reply.ToRefusal() is { } refusal ? refusal : Outcome<SubmitResult>.Accepted(reply.Submitted!);
    }

    /// <summary>Cancels every pending, placed or running trial of a sweep; running attempts are stopped. Returns how many trials were cancelled.</summary>
    public async Task<Outcome<int>> CancelSweepAsync(string sweepId, CancellationToken cancellationToken)
    {
        if (await store.GetSweepAsync(sweepId, cancellationToken) is not { } before)
        {
            return Refusal.NotFound($"Sweep {sweepId} does not exist.");
        }

        var unfinished = (await store.ListTrialsAsync(sweepId, cancellationToken)).Count(t => !t.Snapshot.IsFinal);
        var reply = await grains.GetGrain<ISweepGrain>(sweepId).CancelAsync().WaitAsync(cancellationToken);
        return reply.ToRefusal() is { } refusal ? refusal : Outcome<int>.Accepted(before.CancelledAt is null ? unfinished : 0);
    }

    public Task<IReadOnlyList<SweepRecord>> ListSweepsAsync(CancellationToken cancellationToken) => store.ListSweepsAsync(cancellationToken);

    public Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken) => store.GetSweepAsync(sweepId, cancellationToken);

    /// <summary>
    /// The trials of a sweep in sweep order, each with its state, current attempt, pending reason and summary; those
    /// its current revision no longer lists are included, marked (<see cref="TrialSnapshot.RemovedInRevision"/>).
    /// </summary>
    public Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(string sweepId, CancellationToken cancellationToken) => store.ListTrialsAsync(sweepId, cancellationToken);

    public Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken) => store.GetTrialAsync(trialId, cancellationToken);

    public Task<IReadOnlyList<AttemptSnapshot>> ListAttemptsAsync(string trialId, CancellationToken cancellationToken) => store.ListAttemptsAsync(trialId, cancellationToken);

    /// <summary>Every metric point of a trial (all attempts), for curves.</summary>
    public Task<IReadOnlyList<MetricPointRecord>> GetMetricPointsAsync(string trialId, CancellationToken cancellationToken) => store.GetMetricPointsAsync(trialId, cancellationToken);

    public Task<IReadOnlyList<ArtifactInfo>> ListArtifactsAsync(string trialId, CancellationToken cancellationToken) => store.ListArtifactsAsync(trialId, cancellationToken);

    public async Task<Outcome<Artifact>> GetArtifactAsync(string artifactId, CancellationToken cancellationToken) =>
        await store.GetArtifactAsync(artifactId, cancellationToken) is { } artifact
            ? Outcome<Artifact>.Accepted(artifact)
            : Refusal.NotFound($"Artifact {artifactId} does not exist.");

    public Task<IReadOnlyList<EventRecord>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken) => store.ListEventsAsync(query, cancellationToken);

    /// <summary>The newest event's id (0 for none): a cursor that reads only what comes after now.</summary>
    public Task<long> LatestEventIdAsync(CancellationToken cancellationToken) => store.LatestEventIdAsync(cancellationToken);

    /// <summary>The trainer silos that are members of the cluster now, with their slots.</summary>
    public IReadOnlyList<SiloInfo> ListSilos() => cluster.ActiveSilos();

    /// <summary>Which attempt holds which slots now, as the scheduler sees it.</summary>
    public async Task<ImmutableArray<SlotAllocation>> ListAllocationsAsync(CancellationToken cancellationToken) =>
        (await GetSchedulerViewAsync(cancellationToken)).Allocations;

    /// <summary>
    /// The scheduler's queue, ledger and the silos it places on now. Its silo list can trail <see cref="ListSilos"/> by
    /// a moment: the scheduler may live on another silo, which learns of a joining silo's slots a little later.
    /// </summary>
    public Task<SchedulerView> GetSchedulerViewAsync(CancellationToken cancellationToken) =>
        grains.GetGrain<ISchedulerGrain>(SchedulerGrainKeys.Cluster).GetAsync().WaitAsync(cancellationToken);
}
