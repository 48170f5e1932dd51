using Npgsql;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// The store contract on a real PostgreSQL server (one per class, one fresh database per test), plus
/// what only PostgreSQL has: SKIP LOCKED claims across connections, and riding out a server restart.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PostgresTrialStoreTests(PostgresServerFixture fixture) : TrialStoreContractTests, IClassFixture<PostgresServerFixture>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly string _database = "test_" + Guid.NewGuid().ToString("N");
    private string? _connectionString;

    private PostgresServer Server => fixture.Server;

    protected override async Task<ITrialStore> OpenStoreAsync(TimeProvider time) =>
        await PostgresTrialStore.OpenAsync(await ConnectionStringAsync(), time, null, None);

    protected override Task DeleteDatabaseAsync() => Server.DropDatabaseAsync(_database);

    [Fact]
    public void Embedded_migration_scripts_use_the_postgres_dialect()
    {
        var scripts = SchemaMigrator.LoadScripts("Postgres");

        Assert.Equal([1, 2], scripts.Select(s => s.Version));
        Assert.Equal("initial", scripts[0].Name);
        Assert.Contains("content BYTEA NOT NULL", scripts[0].Sql, StringComparison.Ordinal);
        Assert.Contains("value DOUBLE PRECISION NULL", scripts[0].Sql, StringComparison.Ordinal);
        Assert.Equal(SchemaMigrator.LoadScripts("Sqlite").Select(s => (s.Version, s.Name)), scripts.Select(s => (s.Version, s.Name)));
    }

    [Fact]
    public async Task Schema_uses_postgres_types()
    {
        await using var connection = new NpgsqlConnection(await ConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns
            WHERE (table_name, column_name) IN (('artifacts', 'content'), ('metric_points', 'value'), ('attempts', 'lease_expires_at'), ('events', 'id'),
                ('trials', 'cancelled_by_removal'))
            ORDER BY 1
            """, connection);
        var columns = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["artifacts.content:bytea", "attempts.lease_expires_at:bigint", "events.id:bigint", "metric_points.value:double precision",
            "trials.cancelled_by_removal:boolean"], columns);
    }

    [Fact]
    public async Task The_factory_opens_a_postgres_url()
    {
        var connection = new NpgsqlConnectionStringBuilder(await ConnectionStringAsync());
        await using var store = await TrialStoreFactory.OpenAsync($"postgres://postgres@127.0.0.1:{connection.Port}/{connection.Database}", Clock, None);

        Assert.IsType<PostgresTrialStore>(store);
        await store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        Assert.Equal("t1", (await Store.GetTrialAsync("t1", None))!.Definition.Id);
    }

    [Fact]
    public async Task Two_stores_opening_a_fresh_database_at_once_apply_each_migration_once()
    {
        var database = "race_" + Guid.NewGuid().ToString("N");
        var connectionString = await Server.CreateDatabaseAsync(database);
        try
        {
            var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresTrialStore.OpenAsync(connectionString, Clock, null, None))));
            var migrations = await stores[0].GetAppliedMigrationsAsync(None);
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            Assert.Equal(SchemaMigrator.LoadScripts("Postgres").Select(s => s.Version), migrations.Select(m => m.Version));
        }
        finally
        {
            await Server.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Claims_from_many_connections_hand_out_each_trial_exactly_once()
    {
        const int TrialCount = 40;
        await Store.SubmitSweepAsync(TestData.Sweep(), [.. Enumerable.Range(0, TrialCount).Select(i => TestData.Trial($"t{i:D2}", order: i))], "queued", None);
        var stores = new List<ITrialStore>();
        for (var i = 0; i < 6; i++)
        {
            stores.Add(await OpenStoreAsync(Clock));
        }

        try
        {
            // Each claimer leases one trial per claim, so the claims really interleave.
            var claims = await Task.WhenAll(stores.Select((store, claimer) => Task.Run(async () =>
            {
                var mine = new List<string>();
                var idle = 0;
                while (idle < 3)
                {
                    var leased = await store.ClaimAsync(1, pending => new ClaimPlan(
                        [.. pending.Take(1).Select(t => TrialLifecycle.Lease(t, $"silo-{claimer}", ["gpu0"], Clock.GetUtcNow(), Ttl).Value)],
                        new Dictionary<string, string>()), None);
                    idle = leased.Count == 0 ? idle + 1 : 0;
                    mine.AddRange(leased.Select(t => t.Id));
                }

                return mine;
            })));

            var all = claims.SelectMany(c => c).ToList();
            Assert.Equal(TrialCount, all.Count);
            Assert.Equal(TrialCount, all.Distinct().Count());
            var trials = await Store.ListTrialsAsync("sweep-1", None);
            Assert.All(trials, t => Assert.Equal(TrialState.Leased, t.Snapshot.State));
            Assert.All(trials, t => Assert.Single(claims, c => c.Contains(t.Snapshot.Id)));
            foreach (var trial in trials)
            {
                var attempt = Assert.Single(await Store.ListAttemptsAsync(trial.Snapshot.Id, None));
                Assert.Equal(1, attempt.Number);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_claim_skips_trials_another_claim_is_deciding_on_instead_of_waiting()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1", order: 0), TestData.Trial("t2", order: 1)], "queued", None);
        await using var other = await OpenStoreAsync(Clock);
        using var deciding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        IReadOnlyList<string>? firstOffered = null;

        var first = Task.Run(() => Store.ClaimAsync(2, pending =>
        {
            firstOffered = [.. pending.Select(t => t.Id)];
            deciding.Set();
            // Hold the row locks until the second claim has run.
            Assert.True(release.Wait(TimeSpan.FromSeconds(30)));
            return new ClaimPlan([.. pending.Select(t => TrialLifecycle.Lease(t, "silo-a", ["cpu0"], Clock.GetUtcNow(), Ttl).Value)], new Dictionary<string, string>());
        }, None));
        Assert.True(deciding.Wait(TimeSpan.FromSeconds(30)));
        // Another sweep: a submission of the first one waits for the claim's row locks (it decides on those trials too).
        await Store.SubmitSweepAsync(TestData.Sweep("sweep-2"), [TestData.Trial("t3", order: 2)], "queued", None);

        IReadOnlyList<string>? secondOffered = null;
        var second = await other.ClaimAsync(1, pending =>
        {
            secondOffered = [.. pending.Select(t => t.Id)];
            return new ClaimPlan([.. pending.Select(t => TrialLifecycle.Lease(t, "silo-b", ["cpu0"], Clock.GetUtcNow(), Ttl).Value)], new Dictionary<string, string>());
        }, None).WaitAsync(TimeSpan.FromSeconds(30));
        release.Set();
        var firstLeased = await first;

        Assert.Equal(["t1", "t2"], firstOffered);
        Assert.Equal(["t3"], secondOffered);
        Assert.Equal(["t1", "t2"], firstLeased.Select(t => t.Id));
        Assert.Equal("t3", Assert.Single(second).Id);
        Assert.Equal("silo-b", (await Store.GetTrialAsync("t3", None))!.Snapshot.Attempt!.SiloId);
        Assert.Equal("silo-a", (await Store.GetTrialAsync("t1", None))!.Snapshot.Attempt!.SiloId);
    }

    [Fact]
    public async Task A_call_made_while_the_server_restarts_succeeds_once_it_is_back()
    {
        var retried = new TaskCompletionSource<PostgresRetryNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new PostgresStoreOptions { RetryBudget = TimeSpan.FromSeconds(60), OnRetry = notice => retried.TrySetResult(notice) };
        await using var store = await PostgresTrialStore.OpenAsync(await ConnectionStringAsync(), Clock, options, None);
        await store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        // The pool now holds a connection that the restart will kill.
        Assert.NotNull(await store.GetTrialAsync("t1", None));

        await Server.StopAsync();
        Task<Outcome<TrialChange>> duringOutage;
        PostgresRetryNotice notice;
        try
        {
            duringOutage = store.UpdateTrialAsync("t1", t => TrialLifecycle.Lease(t, "silo-a", ["cpu0"], Clock.GetUtcNow(), Ttl), None);
            notice = await retried.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.False(duringOutage.IsCompleted);
        }
        finally
        {
            // Same port, same data directory: the server the store knew comes back.
            await Server.StartAsync();
        }

        var outcome = await duringOutage.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(PostgresTransientErrors.IsTransient(notice.Error), notice.Error.ToString());
        Assert.True(outcome.IsAccepted, outcome.ToString());
        var trial = (await store.GetTrialAsync("t1", None))!.Snapshot;
        Assert.Equal(TrialState.Leased, trial.State);
        Assert.Equal(1, trial.CurrentAttempt);
        Assert.Single(await store.ListAttemptsAsync("t1", None));
    }

    [Fact]
    public async Task Retries_stop_after_the_budget_and_the_connection_error_is_thrown()
    {
        var retries = 0;
        var options = new PostgresStoreOptions
        {
            RetryBudget = TimeSpan.FromMilliseconds(600),
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(200),
            OnRetry = _ => Interlocked.Increment(ref retries),
        };
        await using var store = await PostgresTrialStore.OpenAsync(await ConnectionStringAsync(), Clock, options, None);
        await Server.StopAsync();
        try
        {
            var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.ListSweepsAsync(None));

            Assert.True(PostgresTransientErrors.IsTransient(error), error.ToString());
            Assert.InRange(retries, 1, 100);
        }
        finally
        {
            await Server.StartAsync();
        }
    }

    [Fact]
    public async Task A_non_transient_error_is_not_retried()
    {
        var retries = 0;
        var options = new PostgresStoreOptions { OnRetry = _ => Interlocked.Increment(ref retries) };
        await using var store = await PostgresTrialStore.OpenAsync(await ConnectionStringAsync(), Clock, options, None);

        // PostgreSQL text cannot hold NUL: a data error is a bug to report, not an outage to wait out.
        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() =>
            store.SubmitSweepAsync(TestData.Sweep() with { Name = "bad\0name" }, [TestData.Trial("t1")], "queued", None));

        Assert.False(PostgresTransientErrors.IsTransient(error), error.ToString());
        Assert.Equal(0, retries);
        Assert.Empty(await store.ListSweepsAsync(None));
    }

    private async Task<string> ConnectionStringAsync() => _connectionString ??= await Server.CreateDatabaseAsync(_database);
}
