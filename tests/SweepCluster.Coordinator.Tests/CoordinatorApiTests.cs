using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Coordinator.Contracts;

namespace SweepCluster.Coordinator.Tests;

[Trait("Category", "Integration")]
public sealed class CoordinatorApiTests(CoordinatorApiFixture fixture) : IClassFixture<CoordinatorApiFixture>
{
    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task A_claim_naming_a_sweep_takes_only_that_sweeps_trials_and_a_blank_sweep_id_is_refused()
    {
        var user = fixture.User();
        var silo = fixture.Silo();
        var (first, second, label, siloId) = (NewId("sweep"), NewId("sweep"), NewId("label"), NewId("silo"));
        Assert.Equal(HttpStatusCode.Created, (await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(first, label))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(second, label))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(siloId, label))).StatusCode);

        var blank = await silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "cpu0" }, waitSeconds = 0, sweepId = " " });
        var claim = await CoordinatorApiFixture.ReadAsync<ClaimResponse>(
            await silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "cpu0" }, waitSeconds = 0, sweepId = second }));

        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Contains("sweepId", await blank.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal($"{second}-t0", Assert.Single(claim.Attempts).TrialId);
        var untouched = await CoordinatorApiFixture.ReadAsync<SweepDetailDto>(await user.GetAsync($"/api/sweeps/{first}"));
        Assert.Equal(TrialState.Pending, Assert.Single(untouched.Trials).State);
    }

    [Fact]
    public async Task A_sweep_listing_gives_each_pending_trial_its_place_in_the_queue()
    {
        var user = fixture.User();
        var silo = fixture.Silo();
        var (sweepId, label, siloId) = (NewId("sweep"), NewId("label"), NewId("silo"));
        Assert.Equal(HttpStatusCode.Created, (await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label, trials: 4))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(siloId, label))).StatusCode);
        var claim = await CoordinatorApiFixture.ReadAsync<ClaimResponse>(
            await silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "cpu0" }, waitSeconds = 0 }));
        Assert.Equal($"{sweepId}-t0", Assert.Single(claim.Attempts).TrialId);

        var sweep = await CoordinatorApiFixture.ReadAsync<SweepDetailDto>(await user.GetAsync($"/api/sweeps/{sweepId}"));

        var byId = sweep.Trials.ToDictionary(t => t.Id);
        Assert.Null(byId[$"{sweepId}-t0"].QueueAhead);
        Assert.Equal([0, 1, 2], new[] { 1, 2, 3 }.Select(i => byId[$"{sweepId}-t{i}"].QueueAhead));
        // A claim by a silo with one free slot looks at the head of the queue only; the others keep the reason they were queued with.
        Assert.Equal("waiting for a free slot", byId[$"{sweepId}-t1"].PendingReason);
        Assert.All(new[] { 2, 3 }, i => Assert.Equal("queued; not yet offered to a silo", byId[$"{sweepId}-t{i}"].PendingReason));
    }

    [Fact]
    public async Task An_edited_sweep_submitted_again_is_its_next_revision_and_its_detail_lists_removed_trials_apart()
    {
        var user = fixture.User();
        var silo = fixture.Silo();
        var (sweepId, label, siloId) = (NewId("sweep"), NewId("label"), NewId("silo"));
        Assert.Equal(HttpStatusCode.Created, (await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label, trials: 3))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(siloId, label))).StatusCode);
        var claim = await CoordinatorApiFixture.ReadAsync<ClaimResponse>(
            await silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "cpu0" }, waitSeconds = 0 }));
        Assert.Equal($"{sweepId}-t0", Assert.Single(claim.Attempts).TrialId);

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
        var beat = await CoordinatorApiFixture.ReadAsync<HeartbeatResponse>(await silo.PostJsonAsync($"/api/silos/{siloId}/heartbeat",
            new { held = new[] { new { trialId = $"{sweepId}-t0", attempt = 1 } } }));
        Assert.Equal(HeldAttemptVerdict.Cancel, Assert.Single(beat.Statuses).Verdict);

        var again = await CoordinatorApiFixture.ReadAsync<SubmitSweepResponse>(
            await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label, only: [1, 3])));
        Assert.Equal("revision 2, unchanged: 2 trials kept (resuming)", again.Summary);

        // Pending trials no silo of this fixture can take would sit at the head of the shared queue for the other tests.
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsync($"/api/sweeps/{sweepId}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task Trial_goes_from_submit_to_succeeded_with_its_summary_points_stored_once_and_its_checkpoint()
    {
        var user = fixture.User();
        var silo = fixture.Silo();
        var (sweepId, label, siloId) = (NewId("sweep"), NewId("label"), NewId("silo"));

        var submitted = await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var submit = await CoordinatorApiFixture.ReadAsync<SubmitSweepResponse>(submitted);
        Assert.Equal(1, submit.TrialsAdded);

        var again = await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await CoordinatorApiFixture.ReadAsync<SubmitSweepResponse>(again)).TrialsKept);

        Assert.Equal(HttpStatusCode.OK, (await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(siloId, label))).StatusCode);
        var claim = await CoordinatorApiFixture.ReadAsync<ClaimResponse>(
            await silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "cpu0" }, waitSeconds = 0 }));
        var attempt = Assert.Single(claim.Attempts);
        Assert.Equal($"{sweepId}-t0", attempt.TrialId);
        Assert.Equal("config-0", attempt.ConfigName);
        Assert.Equal(1, attempt.Attempt);
        Assert.Null(attempt.ResumeCheckpointArtifactId);
        Assert.Contains("\"epochs\":2", attempt.ConfigJson, StringComparison.Ordinal);

        var beat = await CoordinatorApiFixture.ReadAsync<HeartbeatResponse>(await silo.PostJsonAsync($"/api/silos/{siloId}/heartbeat",
            new { held = new[] { new { trialId = attempt.TrialId, attempt = 1, progress = new { step = 2, totalSteps = 10, epoch = 1 } } } }));
        Assert.Equal(HeldAttemptVerdict.Continue, Assert.Single(beat.Statuses).Verdict);

        var prefix = $"/api/silos/{siloId}/trials/{attempt.TrialId}/attempts/1";
        var batch = new
        {
            points = new object[]
            {
                new { step = 1, name = "loss.total", value = 0.5, epoch = 1, kind = "step" },
                new { step = 2, name = "loss.total", value = 0.4, epoch = 1, kind = "step" },
                new { step = 2, name = "loss.cross", value = "NaN", epoch = 1, kind = "step" },
            },
        };
        Assert.Equal(3, (await CoordinatorApiFixture.ReadAsync<MetricsResponse>(await silo.PostJsonAsync($"{prefix}/metrics", batch))).Added);
        Assert.Equal(0, (await CoordinatorApiFixture.ReadAsync<MetricsResponse>(await silo.PostJsonAsync($"{prefix}/metrics", batch))).Added);

        var checkpoint = new byte[] { 1, 2, 3, 4, 5 };
        var uploaded = await silo.PutAsync($"{prefix}/artifacts?kind=checkpoint&name=../../etc/passwd", new ByteArrayContent(checkpoint));
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var artifact = await CoordinatorApiFixture.ReadAsync<ArtifactDto>(uploaded);
        Assert.Equal("../../etc/passwd", artifact.Name);

        var completed = await silo.PostJsonAsync($"{prefix}/complete", new { summary = new { scalars = new { psnr_cross = 27.5 } } });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.PostJsonAsync($"{prefix}/complete", new { summary = new { scalars = new { psnr_cross = 27.5 } } })).StatusCode);

        var sweep = await CoordinatorApiFixture.ReadAsync<SweepDetailDto>(await user.GetAsync($"/api/sweeps/{sweepId}"));
        var trial = Assert.Single(sweep.Trials);
        Assert.Equal(TrialState.Succeeded, trial.State);
        Assert.Equal(27.5, trial.Summary!.Value.GetProperty("scalars").GetProperty("psnr_cross").GetDouble());
        Assert.Equal(artifact.Id, trial.LastCheckpointArtifactId);
        Assert.Equal(1, sweep.Sweep.TrialCounts["succeeded"]);

        var points = await CoordinatorApiFixture.ReadAsync<List<MetricRecordDto>>(await user.GetAsync($"/api/trials/{attempt.TrialId}/metrics"));
        Assert.Equal(3, points.Count);
        Assert.Contains(points, p => p.Name == "loss.cross" && double.IsNaN(p.Value));

        var artifacts = await CoordinatorApiFixture.ReadAsync<List<ArtifactDto>>(await user.GetAsync($"/api/trials/{attempt.TrialId}/artifacts"));
        Assert.Equal(artifact.Id, Assert.Single(artifacts).Id);
        Assert.Equal(checkpoint, await user.GetByteArrayAsync($"/api/trials/{attempt.TrialId}/artifacts/{artifact.Id}"));
        Assert.Equal(checkpoint, await silo.GetByteArrayAsync($"/api/silos/{siloId}/artifacts/{artifact.Id}"));

        var attempts = await CoordinatorApiFixture.ReadAsync<List<AttemptDto>>(await user.GetAsync($"/api/trials/{attempt.TrialId}/attempts"));
        Assert.Equal(AttemptState.Succeeded, Assert.Single(attempts).State);
        var one = await CoordinatorApiFixture.ReadAsync<TrialDto>(await user.GetAsync($"/api/trials/{attempt.TrialId}"));
        Assert.Equal(2, one.Config!.Value.GetProperty("training").GetProperty("epochs").GetInt32());

        var events = await CoordinatorApiFixture.ReadAsync<List<EventDto>>(await user.GetAsync($"/api/events?trialId={attempt.TrialId}"));
        Assert.Contains(events, e => e.Kind == "attempt.succeeded");
        Assert.All(events, e => Assert.Equal(attempt.TrialId, e.TrialId));
    }

    [Fact]
    public async Task Reports_from_a_stale_attempt_or_another_silo_get_409_and_change_nothing()
    {
        var user = fixture.User();
        var silo = fixture.Silo();
        var (sweepId, label, siloId, otherId) = (NewId("sweep"), NewId("label"), NewId("silo"), NewId("other"));
        await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label));
        await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(siloId, label));
        await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(otherId, label));
        var trialId = $"{sweepId}-t0";
        var claimBody = new { freeSlotIds = new[] { "cpu0" }, waitSeconds = 0 };
        Assert.Single((await CoordinatorApiFixture.ReadAsync<ClaimResponse>(await silo.PostJsonAsync($"/api/silos/{siloId}/claim", claimBody))).Attempts);
        var failed = await silo.PostJsonAsync($"/api/silos/{siloId}/trials/{trialId}/attempts/1/fail", new { error = "boom" });
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var second = Assert.Single((await CoordinatorApiFixture.ReadAsync<ClaimResponse>(await silo.PostJsonAsync($"/api/silos/{siloId}/claim", claimBody))).Attempts);
        Assert.Equal(2, second.Attempt);

        var point = new { points = new[] { new { step = 1, name = "loss.total", value = 1.0, epoch = 1, kind = "step" } } };
        var stale = await silo.PostJsonAsync($"/api/silos/{siloId}/trials/{trialId}/attempts/1/metrics", point);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Equal("StaleAttempt", (await CoordinatorApiFixture.ReadJsonAsync(stale)).GetProperty("refusal").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await silo.PostJsonAsync($"/api/silos/{siloId}/trials/{trialId}/attempts/1/complete", new { summary = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await silo.PutAsync($"/api/silos/{siloId}/trials/{trialId}/attempts/1/artifacts?kind=checkpoint&name=c.pt", new ByteArrayContent([1]))).StatusCode);
        var notHolder = await silo.PostJsonAsync($"/api/silos/{otherId}/trials/{trialId}/attempts/2/metrics", point);
        Assert.Equal(HttpStatusCode.Conflict, notHolder.StatusCode);
        Assert.Equal("NotHolder", (await CoordinatorApiFixture.ReadJsonAsync(notHolder)).GetProperty("refusal").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await silo.PostJsonAsync($"/api/silos/{otherId}/trials/{trialId}/attempts/2/fail", new { error = "not mine" })).StatusCode);

        Assert.Empty(await CoordinatorApiFixture.ReadAsync<List<MetricRecordDto>>(await user.GetAsync($"/api/trials/{trialId}/metrics")));
        Assert.Empty(await CoordinatorApiFixture.ReadAsync<List<ArtifactDto>>(await user.GetAsync($"/api/trials/{trialId}/artifacts")));
        var trial = await CoordinatorApiFixture.ReadAsync<TrialDto>(await user.GetAsync($"/api/trials/{trialId}"));
        Assert.Equal(TrialState.Leased, trial.State);
        Assert.Equal(2, trial.CurrentAttempt);
        Assert.Equal(siloId, trial.Attempt!.SiloId);
    }

    [Fact]
    public async Task Cancelled_sweep_tells_the_holding_silo_to_cancel_in_its_heartbeat()
    {
        var user = fixture.User();
        var silo = fixture.Silo();
        var (sweepId, label, siloId) = (NewId("sweep"), NewId("label"), NewId("silo"));
        await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label, trials: 2));
        await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(siloId, label));
        var claimed = Assert.Single((await CoordinatorApiFixture.ReadAsync<ClaimResponse>(
            await silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "cpu0" } }))).Attempts);

        var cancel = await CoordinatorApiFixture.ReadAsync<CancelSweepResponse>(await user.PostAsync($"/api/sweeps/{sweepId}/cancel", null));
        Assert.Equal(2, cancel.Cancelled);
        var beat = await CoordinatorApiFixture.ReadAsync<HeartbeatResponse>(await silo.PostJsonAsync($"/api/silos/{siloId}/heartbeat",
            new { held = new[] { new { trialId = claimed.TrialId, attempt = claimed.Attempt } } }));
        Assert.Equal(HeldAttemptVerdict.Cancel, Assert.Single(beat.Statuses).Verdict);
        Assert.Equal(HttpStatusCode.NotFound, (await user.PostAsync("/api/sweeps/no-such-sweep/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task Waiting_claim_returns_as_soon_as_work_is_submitted()
    {
        var user = fixture.User();
        var silo = fixture.Silo();
        var (sweepId, label, siloId) = (NewId("sweep"), NewId("label"), NewId("silo"));
        await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(siloId, label));

        var watch = Stopwatch.StartNew();
        var claim = silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "cpu0" }, waitSeconds = 8 });
        // Bounded check that the claim is really waiting (no work exists yet).
        Assert.NotSame(claim, await Task.WhenAny(claim, Task.Delay(300)));

        await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label));
        var answer = await claim.WaitAsync(TimeSpan.FromSeconds(6));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal($"{sweepId}-t0", Assert.Single((await CoordinatorApiFixture.ReadAsync<ClaimResponse>(answer)).Attempts).TrialId);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"the claim took {watch.Elapsed}; it should have been woken by the submission");
    }

    [Fact]
    public async Task Waiting_claim_without_work_answers_empty_when_its_wait_runs_out()
    {
        var silo = fixture.Silo();
        var (label, siloId) = (NewId("label"), NewId("silo"));
        await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(siloId, label));

        var watch = Stopwatch.StartNew();
        var answer = await silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "cpu0" }, waitSeconds = 0.3 });
        watch.Stop();
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Empty((await CoordinatorApiFixture.ReadAsync<ClaimResponse>(answer)).Attempts);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(280), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Claim_from_an_unregistered_silo_is_404_and_unknown_slots_are_400()
    {
        var silo = fixture.Silo();
        var (label, siloId) = (NewId("label"), NewId("silo"));
        Assert.Equal(HttpStatusCode.NotFound, (await silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "cpu0" } })).StatusCode);
        await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(siloId, label));
        Assert.Equal(HttpStatusCode.BadRequest, (await silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "gpu7" } })).StatusCode);
    }

    [Fact]
    public async Task Artifact_larger_than_the_limit_is_refused_with_413()
    {
        var user = fixture.User();
        var silo = fixture.Silo();
        var (sweepId, label, siloId) = (NewId("sweep"), NewId("label"), NewId("silo"));
        await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, label));
        await silo.PostJsonAsync("/api/silos/register", CoordinatorApiFixture.SiloBody(siloId, label));
        var claimed = Assert.Single((await CoordinatorApiFixture.ReadAsync<ClaimResponse>(
            await silo.PostJsonAsync($"/api/silos/{siloId}/claim", new { freeSlotIds = new[] { "cpu0" } }))).Attempts);

        var tooBig = await silo.PutAsync($"/api/silos/{siloId}/trials/{claimed.TrialId}/attempts/1/artifacts?kind=checkpoint&name=c.pt",
            new ByteArrayContent(new byte[CoordinatorApiFixture.MaxArtifactBytes + 1]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Empty(await CoordinatorApiFixture.ReadAsync<List<ArtifactDto>>(await user.GetAsync($"/api/trials/{claimed.TrialId}/artifacts")));
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
}
