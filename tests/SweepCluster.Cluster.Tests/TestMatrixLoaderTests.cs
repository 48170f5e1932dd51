using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Reports;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

/// <summary>The report read from a real (SQLite) store: summaries, metric points and panels of the final attempt.</summary>
[Trait("Category", "Integration")]
public sealed class TestMatrixLoaderTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sweepcluster-loader-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(TestData.T0);
    private ITrialStore _store = null!;

    public async Task InitializeAsync() => _store = await SqlTrialStore.OpenSqliteAsync(Path.Combine(_directory, "store.db"), _clock, None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Loads_the_matrix_curves_and_final_attempt_panels_of_a_sweep()
    {
        NewTrial[] trials = [TestData.Trial("t1", order: 0) with { ConfigKey = "k", Seed = 0 }, TestData.Trial("t2", order: 1) with { ConfigKey = "k", Seed = 1 }];
        await _store.SubmitSweepAsync(TestData.Sweep(), trials, "queued", None);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7];
        foreach (var (id, attempt) in new[] { ("t1", 1), ("t1", 2) })
        {
            await _store.UpdateTrialAsync(id, t => TrialLifecycle.Place(t, "silo", ["cpu0"], _clock.GetUtcNow()), None);
            await _store.AppendMetricsAsync(id, attempt, [new MetricPoint(attempt, "loss.cross", 1.0 / attempt, attempt - 1, "epoch")], _ => null, None);
            await _store.PutArtifactAsync(new ArtifactUpload(id, attempt, ArtifactKinds.Panel, $"panel-{attempt}.png", png), _ => null, None);
            if (attempt == 1)
            {
                await _store.UpdateTrialAsync(id, t => TrialLifecycle.Fail(t, 1, "silo", _clock.GetUtcNow(), "crash"), None);
            }
        }

        await _store.UpdateTrialAsync("t1", t => TrialLifecycle.Complete(t, 2, "silo", _clock.GetUtcNow(), ReportTestData.Summary(gain: 3)), None);

        var report = (await TestMatrixLoader.LoadAsync(_store, "sweep-1", includePanels: true, rule: null, None))!;

        var row = Assert.Single(report.Matrix.Rows);
        Assert.Equal(1, row.N);
        Assert.Equal("1/2 succeeded; 1 pending", row.Status);
        Assert.Equal(3, row.PsnrGainCross!.Mean);
        Assert.Equal([new CurvePoint(0, 1.0), new CurvePoint(1, 0.5)], Assert.Single(row.CrossLossCurves).Points);
        var panel = Assert.Single(report.Panels);
        Assert.Equal("panel-2.png", panel.Name);
        Assert.Equal(png, panel.Png.ToArray());
        Assert.Null(await TestMatrixLoader.LoadAsync(_store, "nope", includePanels: false, rule: null, None));
    }
}
