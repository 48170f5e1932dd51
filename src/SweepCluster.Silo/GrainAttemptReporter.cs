using System.Collections.Immutable;
using SweepCluster.Cluster.Grains;
using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo;

/// <summary>Reports one attempt to its trial grain, every call naming the attempt and this silo.</summary>
internal sealed class GrainAttemptReporter(IGrainFactory grains, string trialId, int attempt, string siloId) : IAttemptReporter
{
    private ITrialGrain Trial => grains.GetGrain<ITrialGrain>(trialId);

    public async Task<(string ConfigJson, byte[]? Checkpoint)> PrepareAsync(CancellationToken cancellationToken)
    {
        var launch = await Trial.GetLaunchAsync(attempt, siloId).WaitAsync(cancellationToken);
        if (!launch.Accepted)
        {
            throw new AttemptRevokedException(launch.Message);
        }

        return (launch.ConfigJson ?? throw new InvalidOperationException($"Trial {trialId} has no configuration."), launch.Checkpoint);
    }

    public Task StartedAsync(CancellationToken cancellationToken) =>
        CheckAsync(Trial.AttemptStartedAsync(attempt, siloId), cancellationToken);

    public Task ReportMetricsAsync(IReadOnlyList<MetricPointReport> points, ProgressReport? progress, CancellationToken cancellationToken) =>
        CheckAsync(Trial.ReportMetricsAsync(attempt, siloId,
            [.. points.Select(p => new MetricRecord { Step = p.Step, Name = p.Name, Value = p.Value, Epoch = p.Epoch, Kind = p.Kind })],
            progress is null ? null : new AttemptProgressReport
            {
                Step = progress.Step,
                TotalSteps = progress.TotalSteps,
                Epoch = progress.Epoch,
                Epochs = progress.Epochs,
                EtaSeconds = progress.EtaSeconds,
            }), cancellationToken);

    public async Task<string> UploadArtifactAsync(string kind, string name, long? step, byte[] content, CancellationToken cancellationToken)
    {
        var reply = await Trial.PutArtifactAsync(new AttemptArtifact { Attempt = attempt, SiloId = siloId, Kind = kind, Name = name, Content = content, Step = step })
            .WaitAsync(cancellationToken);
        Check(reply);
        return reply.ArtifactId ?? string.Empty;
    }

    public Task CompleteAsync(string summaryJson, CancellationToken cancellationToken) =>
        CheckAsync(Trial.AttemptEndedAsync(new AttemptEnd { Attempt = attempt, SiloId = siloId, Outcome = AttemptOutcome.Succeeded, SummaryJson = summaryJson }), cancellationToken);

    public Task FailAsync(string error, CancellationToken cancellationToken) =>
        CheckAsync(Trial.AttemptEndedAsync(new AttemptEnd { Attempt = attempt, SiloId = siloId, Outcome = AttemptOutcome.Failed, Error = error }), cancellationToken);

    private static async Task CheckAsync(Task<TrialReply> call, CancellationToken cancellationToken) => Check(await call.WaitAsync(cancellationToken));

    private static void Check(TrialReply reply)
    {
        // A refusal of the attempt itself ends it here; a diverged trial (accepted, now failed) ends it too.
        if (!reply.Accepted && reply.Refusal is "StaleAttempt" or "NotHolder" or "NotFound" or "InvalidTransition")
        {
            throw new AttemptRevokedException(reply.Message);
        }

        if (!reply.Accepted)
        {
            throw new InvalidOperationException(reply.Message);
        }

        if (reply.Decisions.Any(d => d.Kind == TrialDecisionKind.StopAttempt))
        {
            throw new AttemptRevokedException(reply.Message);
        }
    }
}
