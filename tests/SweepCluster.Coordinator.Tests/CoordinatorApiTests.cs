using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator.Contracts;

namespace SweepCluster.Coordinator.Tests;

/// <summary>
/// The user API of a coordinator that is a one-silo Orleans cluster without trainer silos: submissions, status, cancel,
/// trials, events and reports, with trial state written by the grains and read back from the store.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CoordinatorApiTests(CoordinatorApiFixture fixture) : IClassFixture<CoordinatorApiFixture>
{
    private const string NoTrainerSilo = "waiting for a trainer silo to join the cluster";

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Trials_submitted_without_a_trainer_silo_stay_pending_with_a_readable_reason_and_a_place_in_the_queue()
    {
        var user = fixture.User();
        var (sweepId, label) = (NewId("sweep"), NewId("label"));

        var submitted = await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label, trials: 3));
        var again = await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label, trials: 3));

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal($"/api/sweeps/{sweepId}", submitted.Headers.Location?.OriginalString);
        var first = await CoordinatorApiFixture.ReadAsync<SubmitSweepResponse>(submitted);
        Assert.Equal((sweepId, true, 3, 0, 1), (first.SweepId, first.SweepAdded, first.TrialsAdded, first.TrialsKept, first.Revision));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await CoordinatorApiFixture.ReadAsync<SubmitSweepResponse>(again);
        Assert.Equal((false, 0, 3, 1, (int?)null), (second.SweepAdded, second.TrialsAdded, second.TrialsKept, second.Revision, second.PreviousRevision));

        SweepDetailDto sweep = null!;
        await Eventually.HoldsAsync(async () =>
        {
            sweep = await CoordinatorApiFixture.ReadAsync<SweepDetailDto>(await user.GetAsync($"/api/sweeps/{sweepId}"));
            return sweep.Trials.All(t => t.PendingReason == NoTrainerSilo);
        }, "every trial says it waits for a trainer silo");
        Assert.All(sweep.Trials, t => Assert.Equal((TrialState.Pending, 0, null), (t.State, t.CurrentAttempt, t.Attempt)));
        Assert.Equal([0, 1, 2], sweep.Trials.OrderBy(t => t.Order).Select(t => t.QueueAhead));
        Assert.Equal(3, sweep.Sweep.TrialCounts["pending"]);
        Assert.Empty(await CoordinatorApiFixture.ReadAsync<List<SiloDto>>(await user.GetAsync("/silos")));
        Assert.Contains(await CoordinatorApiFixture.ReadAsync<List<SweepSummaryDto>>(await user.GetAsync("/api/sweeps")), s => s.Id == sweepId);
    }

    [Fact]
    public async Task A_trial_its_grain_ran_reads_back_succeeded_with_its_summary_points_checkpoint_events_and_report()
    {
        var user = fixture.User();
        var (sweepId, label) = (NewId("sweep"), NewId("label"));
        Assert.Equal(HttpStatusCode.Created, (await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label))).StatusCode);
        var trialId = $"{sweepId}-t0";
        var trial = fixture.Grains.GetGrain<ITrialGrain>(trialId);
        var silo = fixture.SiloId;

        // What a runner on this silo would send.
        await AcceptAsync(PlaceAsync(trialId, attempt: 1));
        await AcceptAsync(trial.AttemptStartedAsync(1, silo));
        ImmutableArray<MetricRecord> points =
        [
            new() { Step = 1, Name = "loss.total", Value = 0.5, Epoch = 1, Kind = "step" },
            new() { Step = 2, Name = "loss.total", Value = 0.4, Epoch = 1, Kind = "step" },
            new() { Step = 2, Name = "psnr_cross", Value = 27.5, Epoch = 1, Kind = "eval" },
        ];
        var progress = new AttemptProgressReport { Step = 2, TotalSteps = 10, Epoch = 1, Epochs = 5 };
        await AcceptAsync(trial.ReportMetricsAsync(1, silo, points, progress));
        await AcceptAsync(trial.ReportMetricsAsync(1, silo, points, progress));
        var checkpoint = new byte[] { 1, 2, 3, 4, 5 };
        var stored = await AcceptAsync(trial.PutArtifactAsync(new AttemptArtifact { Attempt = 1, SiloId = silo, Kind = ArtifactKinds.Checkpoint, Name = "../../etc/passwd", Content = checkpoint, Step = 2 }));
        var running = await CoordinatorApiFixture.ReadAsync<TrialDto>(await user.GetAsync($"/api/trials/{trialId}"));
        await AcceptAsync(trial.AttemptEndedAsync(new AttemptEnd { Attempt = 1, SiloId = silo, Outcome = AttemptOutcome.Succeeded, SummaryJson = """{"scalars":{"psnr_cross":27.5}}""" }));

        Assert.Equal((TrialState.Running, 2L, 10L), (running.State, running.Attempt!.Progress!.Step, running.Attempt.Progress.TotalSteps));
        var sweep = await CoordinatorApiFixture.ReadAsync<SweepDetailDto>(await user.GetAsync($"/api/sweeps/{sweepId}"));
        var row = Assert.Single(sweep.Trials);
        Assert.Equal(TrialState.Succeeded, row.State);
        Assert.Equal(27.5, row.Summary!.Value.GetProperty("scalars").GetProperty("psnr_cross").GetDouble());
        Assert.Equal(stored.ArtifactId, row.LastCheckpointArtifactId);
        Assert.Null(row.QueueAhead);
        Assert.Equal(1, sweep.Sweep.TrialCounts["succeeded"]);

        var read = await CoordinatorApiFixture.ReadAsync<List<MetricRecordDto>>(await user.GetAsync($"/api/trials/{trialId}/metrics"));
        Assert.Equal([("loss.total", 1L, 0.5), ("loss.total", 2L, 0.4), ("psnr_cross", 2L, 27.5)], read.Select(p => (p.Name, p.Step, p.Value)));
        Assert.All(read, p => Assert.Equal(1, p.Attempt));

        var artifact = Assert.Single(await CoordinatorApiFixture.ReadAsync<List<ArtifactDto>>(await user.GetAsync($"/api/trials/{trialId}/artifacts")));
        Assert.Equal((stored.ArtifactId, "checkpoint", "../../etc/passwd", 5L), (artifact.Id, artifact.Kind, artifact.Name, artifact.Size));
        var bytes = await user.GetAsync($"/api/trials/{trialId}/artifacts/{artifact.Id}");
        Assert.Equal("application/octet-stream", bytes.Content.Headers.ContentType?.MediaType);
        Assert.Null(bytes.Content.Headers.ContentDisposition);
        Assert.Equal(checkpoint, await bytes.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync($"/api/trials/{sweepId}-other/artifacts/{artifact.Id}")).StatusCode);

        var attempt = Assert.Single(await CoordinatorApiFixture.ReadAsync<List<AttemptDto>>(await user.GetAsync($"/api/trials/{trialId}/attempts")));
        Assert.Equal((1, AttemptState.Succeeded, silo), (attempt.Number, attempt.State, attempt.SiloId));
        var one = await CoordinatorApiFixture.ReadAsync<TrialDto>(await user.GetAsync($"/api/trials/{trialId}"));
        Assert.Equal(2, one.Config!.Value.GetProperty("training").GetProperty("epochs").GetInt32());

        var events = await CoordinatorApiFixture.ReadAsync<List<EventDto>>(await user.GetAsync($"/api/events?trialId={trialId}"));
        Assert.All(events, e => Assert.Equal(trialId, e.TrialId));
        Assert.Contains(events, e => e.Kind == "checkpoint.stored");
        Assert.Contains(events, e => e.Kind == "succeeded");
        var sweepEvents = await CoordinatorApiFixture.ReadAsync<List<EventDto>>(await user.GetAsync($"/api/events?sweepId={sweepId}&limit=1"));
        Assert.Equal("sweep.submitted", Assert.Single(sweepEvents).Kind);

        var report = await user.GetAsync($"/api/sweeps/{sweepId}/report/md");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/markdown", report.Content.Headers.ContentType?.MediaType);
        Assert.Contains("config-0", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var format in new[] { "csv", "json", "html" })
        {
            Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"/api/sweeps/{sweepId}/report/{format}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await user.GetAsync($"/api/sweeps/{sweepId}/report/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await user.GetAsync("/api/sweeps/no-such-sweep/report/md")).StatusCode);
    }

    [Fact]
    public async Task An_edited_sweep_submitted_again_is_its_next_revision_its_removed_running_trial_is_cancelled_and_listed_apart()
    {
        var user = fixture.User();
        var (sweepId, label) = (NewId("sweep"), NewId("label"));
        Assert.Equal(HttpStatusCode.Created, (await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label, trials: 3))).StatusCode);
        var runningId = $"{sweepId}-t0";
        await AcceptAsync(PlaceAsync(runningId, attempt: 1));
        await AcceptAsync(fixture.Grains.GetGrain<ITrialGrain>(runningId).AttemptStartedAsync(1, fixture.SiloId));

        // The first trial (running) and the last (pending) dropped from the file, a new one added.
        var edited = await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label, only: [1, 3]));

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var answer = await CoordinatorApiFixture.ReadAsync<SubmitSweepResponse>(edited);
        Assert.Equal((2, (int?)1, 1, 2, 2, 1), (answer.Revision, answer.PreviousRevision, answer.TrialsAdded, answer.TrialsRemoved, answer.TrialsCancelled, answer.TrialsKept));
        Assert.Equal("revision 2 (was 1): 1 trial added, 2 removed (2 cancelled), 1 kept", answer.Summary);
        var detail = await CoordinatorApiFixture.ReadAsync<SweepDetailDto>(await user.GetAsync($"/api/sweeps/{sweepId}"));
        Assert.Equal(2, detail.Sweep.Revision);
        Assert.Equal([$"{sweepId}-t1", $"{sweepId}-t3"], detail.Trials.Select(t => t.Id));
        Assert.Equal([$"{sweepId}-t0", $"{sweepId}-t2"], detail.RemovedTrials.Select(t => t.Id));
        Assert.All(detail.RemovedTrials, t => Assert.Equal((TrialState.Cancelled, (int?)2), (t.State, t.RemovedInRevision)));
        Assert.Equal((2, 0), (detail.Sweep.TrialCounts["pending"], detail.Sweep.TrialCounts["cancelled"]));
        // The removed running trial's grain was cancelled too: a runner holding its attempt is told to stop.
        var removed = (await fixture.Grains.GetGrain<ITrialGrain>(runningId).GetAsync()).State;
        Assert.Equal((TrialPhase.Cancelled, AttemptPhase.Cancelled), (removed.Phase, removed.Attempt!.Phase));

        var again = await CoordinatorApiFixture.ReadAsync<SubmitSweepResponse>(
            await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label, only: [1, 3])));
        Assert.Equal("revision 2, unchanged: 2 trials kept (resuming)", again.Summary);
    }

    [Fact]
    public async Task Cancelling_a_sweep_cancels_its_running_and_pending_trials_even_after_the_running_trials_grain_was_deactivated()
    {
        var user = fixture.User();
        var (sweepId, label) = (NewId("sweep"), NewId("label"));
        await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label, trials: 2));
        var runningId = $"{sweepId}-t0";
        var decisions = (await AcceptAsync(PlaceAsync(runningId, attempt: 1))).Decisions;
        Assert.Equal(TrialDecisionKind.StartAttempt, Assert.Single(decisions).Kind);
        await AcceptAsync(fixture.Grains.GetGrain<ITrialGrain>(runningId).AttemptStartedAsync(1, fixture.SiloId));
        // The trial grain is read back from grain storage by the cancel.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var cancelled = await user.PostAsync($"/api/sweeps/{sweepId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(new CancelSweepResponse(sweepId, 2), await CoordinatorApiFixture.ReadAsync<CancelSweepResponse>(cancelled));
        var sweep = await CoordinatorApiFixture.ReadAsync<SweepDetailDto>(await user.GetAsync($"/api/sweeps/{sweepId}"));
        Assert.NotNull(sweep.Sweep.CancelledAt);
        Assert.All(sweep.Trials, t => Assert.Equal(TrialState.Cancelled, t.State));
        Assert.Equal(AttemptState.Cancelled, sweep.Trials.Single(t => t.Id == runningId).Attempt!.State);
        Assert.Equal(TrialPhase.Cancelled, (await fixture.Grains.GetGrain<ITrialGrain>(runningId).GetAsync()).State.Phase);
        Assert.Equal(new CancelSweepResponse(sweepId, 0), await CoordinatorApiFixture.ReadAsync<CancelSweepResponse>(await user.PostAsync($"/api/sweeps/{sweepId}/cancel", null)));
        Assert.Equal(HttpStatusCode.NotFound, (await user.PostAsync("/api/sweeps/no-such-sweep/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task Unknown_sweeps_and_trials_are_404_problems()
    {
        var user = fixture.User();
        foreach (var path in new[] { "/api/sweeps/nope", "/api/trials/nope", "/api/trials/nope/metrics", "/api/trials/nope/attempts", "/api/trials/nope/artifacts", "/api/trials/nope/artifacts/nope" })
        {
            var response = await user.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Health_needs_no_token()
    {
        var response = await fixture.Client(null).GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Bad_event_query_is_400_naming_the_parameter()
    {
        var response = await fixture.User().GetAsync("/api/events?limit=abc");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await CoordinatorApiFixture.ReadJsonAsync(response)).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task Wrong_scheme_in_the_authorization_header_is_401()
    {
        var client = fixture.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", CoordinatorApiFixture.UserToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/sweeps")).StatusCode);
    }

    /// <summary>Places the trial on the coordinator's own silo as attempt <paramref name="attempt"/>, as the scheduler would for a trainer silo.</summary>
    private async Task<TrialReply> PlaceAsync(string trialId, int attempt)
    {
        var trial = await CoordinatorApiFixture.ReadAsync<TrialDto>(await fixture.User().GetAsync($"/api/trials/{trialId}"));
        return await fixture.Grains.GetGrain<ITrialGrain>(trialId).PlaceAsync(new AttemptPlacement
        {
            SiloId = fixture.SiloId,
            Attempt = attempt,
            SlotIds = ["cpu0"],
            Definition = new TrialDefinition
            {
                SweepId = trial.SweepId,
                MaxAttempts = trial.MaxAttempts,
                ConfigName = trial.ConfigName,
                OrderIndex = trial.Order,
            },
        });
    }

    private static async Task<TrialReply> AcceptAsync(Task<TrialReply> call)
    {
        var reply = await call;
        Assert.True(reply.Accepted, reply.Message);
        return reply;
    }
}
