using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Store;
using static SweepCluster.Cluster.Tests.TrialCalls;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// What a silo can read of a trial: <see cref="ITrialGrain.GetLaunchAsync"/> hands the configuration and the resume
/// checkpoint to the live attempt's own silo and to nobody else, and a stale attempt cannot replace the checkpoint.
/// On an in-process silo with memory grain storage, the trial rows and artifacts in a real SQLite store.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TrialLaunchTests(TrialLaunchTests.Fixture fixture) : IClassFixture<TrialLaunchTests.Fixture>
{
    private static readonly byte[] CheckpointBytes = [7, 1, 2, 3, 0, 255];

    [Fact]
    public async Task The_live_attempts_silo_gets_the_configuration_and_the_checkpoint_an_earlier_attempt_stored()
    {
        var (trialId, grain) = await ResumedOnSiloBAsync();

        var launch = await grain.GetLaunchAsync(2, "silo-b");

        Assert.True(launch.Accepted, launch.Message);
        Assert.Equal(TestData.Trial(trialId).ConfigJson, launch.ConfigJson);
        Assert.Equal(CheckpointBytes, launch.Checkpoint);
        var stored = Assert.Single(await fixture.Store.ListArtifactsAsync(trialId, CancellationToken.None));
        Assert.Equal((stored.Id, 1), (launch.CheckpointRef, stored.Attempt));
        Assert.Equal(("sweep-launch", $"config-{trialId}"), (launch.SweepId, launch.ConfigName));
    }

    [Theory]
    [InlineData(1, "silo-a", "the lost attempt, asked by its own silo")]
    [InlineData(1, "silo-b", "the lost attempt, asked by the live silo")]
    [InlineData(2, "silo-a", "the live attempt, asked by another silo")]
    [InlineData(3, "silo-b", "an attempt not placed yet")]
    [InlineData(0, "silo-b", "attempt 0")]
    public async Task Any_attempt_but_the_live_one_of_that_silo_gets_nothing(int attempt, string siloId, string what)
    {
        var (_, grain) = await ResumedOnSiloBAsync();

        var launch = await grain.GetLaunchAsync(attempt, siloId);

        Assert.False(launch.Accepted, what);
        Assert.Null(launch.ConfigJson);
        Assert.Null(launch.Checkpoint);
        Assert.Null(launch.CheckpointRef);
    }

    [Fact]
    public async Task An_ended_attempt_and_a_trial_never_created_get_nothing()
    {
        var (trialId, grain) = await ResumedOnSiloBAsync();
        await AcceptAsync(grain.AttemptStartedAsync(2, "silo-b"));
        await AcceptAsync(grain.AttemptEndedAsync(new AttemptEnd { Attempt = 2, SiloId = "silo-b", Outcome = AttemptOutcome.Succeeded, SummaryJson = "{}" }));

        var ended = await grain.GetLaunchAsync(2, "silo-b");
        var unknown = await fixture.Cluster.Client.GetGrain<ITrialGrain>(trialId + "-never").GetLaunchAsync(1, "silo-b");

        Assert.False(ended.Accepted);
        Assert.Null(ended.Checkpoint);
        Assert.False(unknown.Accepted);
        Assert.Null(unknown.Checkpoint);
    }

    [Fact]
    public async Task A_stale_attempts_checkpoint_is_refused_and_the_resume_point_stays()
    {
        var (trialId, grain) = await ResumedOnSiloBAsync();
        var before = await grain.GetAsync();

        var reply = await grain.PutArtifactAsync(new AttemptArtifact
        {
            Attempt = 1,
            SiloId = "silo-a",
            Kind = ArtifactKinds.Checkpoint,
            Name = "late.ckpt",
            Content = [9, 9, 9],
            Step = 500,
        });

        Assert.False(reply.Accepted);
        Assert.Equal(nameof(RefusalKind.StaleAttempt), reply.Refusal);
        Assert.Null(reply.ArtifactId);
        Assert.Equal(before.ETag, (await grain.GetAsync()).ETag);
        Assert.Single(await fixture.Store.ListArtifactsAsync(trialId, CancellationToken.None));
        Assert.Equal(CheckpointBytes, (await grain.GetLaunchAsync(2, "silo-b")).Checkpoint);
    }

    [Fact]
    public async Task The_grain_counts_stored_points_ended_attempts_retries_and_refused_reports_in_the_meter()
    {
        var sweepId = "sweep-meter-" + Guid.NewGuid().ToString("N")[..8];
        using var meter = new MeterCapture(sweepId);
        var (trialId, grain) = await ResumedOnSiloBAsync(sweepId);
        await AcceptAsync(grain.AttemptStartedAsync(2, "silo-b"));
        MetricRecord[] points =
        [
            new() { Step = 10, Name = "loss.cross", Value = 0.25, Kind = "train" },
            new() { Step = 10, Name = "eval.x_a_from_b.psnr", Value = 27.5, Kind = "eval" },
        ];

        await AcceptAsync(grain.ReportMetricsAsync(2, "silo-b", [.. points], null));
        await AcceptAsync(grain.ReportMetricsAsync(2, "silo-b", [.. points], null));
        var stale = await grain.ReportMetricsAsync(1, "silo-a", [.. points], null);
        await AcceptAsync(grain.AttemptEndedAsync(new AttemptEnd { Attempt = 2, SiloId = "silo-b", Outcome = AttemptOutcome.Succeeded, SummaryJson = "{}" }));

        Assert.False(stale.Accepted);
        // The repeated report stored nothing new; the alert on a stalled sweep reads this counter.
        Assert.Equal([2.0, 0.0], meter.Of("sweepcluster.metric_points.ingested").Select(m => m.Value));
        Assert.Equal(["lost", "succeeded"], meter.Of("sweepcluster.attempt.duration").Select(m => m.Tags["outcome"]));
        Assert.Equal("lost", Assert.Single(meter.Of("sweepcluster.attempt.retries")).Tags["reason"]);
        Assert.Equal("stale_attempt", Assert.Single(meter.Of("sweepcluster.reports.refused")).Tags["reason"]);
        var latest = Assert.Single(Telemetry.SweepClusterTelemetry.TrialMetrics.Snapshot(), t => t.TrialId == trialId);
        Assert.Equal((27.5, 0.25, $"config-{trialId}"), (latest.Psnr, latest.Losses["cross"], latest.ConfigName));
    }

    /// <summary>A trial whose attempt 1 on silo-a stored a checkpoint and was lost; attempt 2 is placed on silo-b.</summary>
    private async Task<(string TrialId, ITrialGrain Grain)> ResumedOnSiloBAsync(string sweepId = "sweep-launch")
    {
        var trialId = "trial-" + Guid.NewGuid().ToString("N")[..12];
        await fixture.Store.SubmitSweepAsync(TestData.Sweep(sweepId), [TestData.Trial(trialId)], "queued", CancellationToken.None);
        var grain = fixture.Cluster.Client.GetGrain<ITrialGrain>(trialId);
        var definition = new TrialDefinition { SweepId = sweepId, MaxAttempts = 3, ConfigName = $"config-{trialId}" };
        await AcceptAsync(grain.PlaceAsync(new AttemptPlacement { SiloId = "silo-a", Attempt = 1, SlotIds = ["cpu0"], Definition = definition }));
        await AcceptAsync(grain.AttemptStartedAsync(1, "silo-a"));
        await AcceptAsync(grain.PutArtifactAsync(new AttemptArtifact
        {
            Attempt = 1,
            SiloId = "silo-a",
            Kind = ArtifactKinds.Checkpoint,
            Name = "epoch-1.ckpt",
            Content = [.. CheckpointBytes],
            Step = 100,
        }));
        await AcceptAsync(grain.SiloLostAsync("silo-a"));
        await AcceptAsync(grain.PlaceAsync(new AttemptPlacement { SiloId = "silo-b", Attempt = 2, SlotIds = ["cpu0"] }));
        return (trialId, grain);
    }

    /// <summary>One in-process silo whose trial grains keep their rows and artifacts in a SQLite store; placements name plain silo ids.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly TempDirectory _directory = new("sweepcluster-launch-");
        private InProcessTestCluster? _cluster;
        private SqlTrialStore? _store;

        public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

        public SqlTrialStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

        public async Task InitializeAsync()
        {
            _store = await SqlTrialStore.OpenSqliteAsync(_directory.File("store.db"), TimeProvider.System, CancellationToken.None);
            var builder = new InProcessTestClusterBuilder(1);
            builder.ConfigureSilo((_, silo) =>
            {
                silo.AddMemoryGrainStorage(TrialGrain.StorageName, storage => storage.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
                silo.Services.AddSingleton<ITrialRecords>(new StoreTrialRecords(Store, TimeProvider.System));
                silo.Services.Configure<TrialGrainOptions>(o => o.RunOnPlacedSilo = false);
            });
            _cluster = builder.Build();
            await _cluster.DeployAsync();
        }

        public async Task DisposeAsync()
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }

            if (_store is not null)
            {
                await _store.DisposeAsync();
            }

            _directory.Dispose();
        }
    }
}
