using System.Data.Common;
using Npgsql;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// The store contract on a real PostgreSQL server (one per class, one fresh database per test), plus
/// what only PostgreSQL has: concurrent migrations, and riding out a server restart.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SqlTrialStorePostgresTests(PostgresServerFixture fixture) : TrialStoreContractTests, IClassFixture<PostgresServerFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly string _prefix = "test_" + Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, string> _connectionStrings = new(StringComparer.Ordinal);

    private PostgresServer Server => fixture.Server;

    protected override string MigrationsFolder => "Postgres";

    protected override async Task<ITrialStore> OpenStoreAsync(TimeProvider time, string database) =>
        await SqlTrialStore.OpenPostgresAsync(await ConnectionStringAsync(database), time, null, None);

    protected override async Task<DbConnection> ConnectAsync(string database)
    {
        var connection = new NpgsqlConnection(await ConnectionStringAsync(database));
        await connection.OpenAsync();
        return connection;
    }

    protected override async Task DeleteDatabasesAsync()
    {
        foreach (var database in _connectionStrings.Keys)
        {
            await Server.DropDatabaseAsync(DatabaseName(database));
        }
    }

    [Fact]
    public void Embedded_migration_scripts_use_the_postgres_dialect()
    {
        var scripts = SchemaMigrator.LoadScripts("Postgres");

        Assert.Equal([1, 2, 3, 4], scripts.Select(s => s.Version));
        Assert.Equal("initial", scripts[0].Name);
        Assert.Contains("content BYTEA NOT NULL", scripts[0].Sql, StringComparison.Ordinal);
        Assert.Contains("value DOUBLE PRECISION NULL", scripts[0].Sql, StringComparison.Ordinal);
        Assert.Contains("early_stopping BOOLEAN NOT NULL DEFAULT TRUE", scripts[3].Sql, StringComparison.Ordinal);
        Assert.Equal(SchemaMigrator.LoadScripts("Sqlite").Select(s => (s.Version, s.Name)), scripts.Select(s => (s.Version, s.Name)));
    }

    [Fact]
    public async Task Schema_uses_postgres_types()
    {
        await using var connection = new NpgsqlConnection(await ConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns
            WHERE (table_name, column_name) IN (('artifacts', 'content'), ('metric_points', 'value'), ('attempts', 'started_at'), ('events', 'id'))
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

        Assert.Equal(["artifacts.content:bytea", "attempts.started_at:bigint", "events.id:bigint", "metric_points.value:double precision"], columns);
    }

    [Fact]
    public async Task The_factory_opens_a_postgres_url()
    {
        var connection = new NpgsqlConnectionStringBuilder(await ConnectionStringAsync());
        await using var store = await TrialStoreFactory.OpenAsync($"postgres://postgres@127.0.0.1:{connection.Port}/{connection.Database}", Clock, None);

        Assert.Equal(TrialStoreKind.Postgres, Assert.IsType<SqlTrialStore>(store).Kind);
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
            var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SqlTrialStore.OpenPostgresAsync(connectionString, Clock, null, None))));
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
    public async Task A_call_made_while_the_server_restarts_succeeds_once_it_is_back()
    {
        var retried = new TaskCompletionSource<PostgresRetryNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new PostgresStoreOptions { RetryBudget = TimeSpan.FromSeconds(60), OnRetry = notice => retried.TrySetResult(notice) };
        await using var store = await SqlTrialStore.OpenPostgresAsync(await ConnectionStringAsync(), Clock, options, None);
        await store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        // The pool now holds a connection that the restart will kill.
        Assert.NotNull(await store.GetTrialAsync("t1", None));

        await Server.StopAsync();
        Task<Outcome<TrialChange>> duringOutage;
        PostgresRetryNotice notice;
        try
        {
            duringOutage = store.UpdateTrialAsync("t1", t => TrialLifecycle.Place(t, "silo-a", ["cpu0"], Clock.GetUtcNow()), None);
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
        Assert.Equal(TrialState.Placed, trial.State);
        Assert.Equal(1, trial.CurrentAttempt);
        Assert.Single(await store.ListAttemptsAsync("t1", None));
    }

    [Fact]
    public async Task A_writer_gone_silent_inside_its_transaction_holds_the_trials_row_only_until_the_server_ends_its_session()
    {
        // A silo cut off from the database between two statements of a write: its session sits idle in the transaction,
        // holding the trial's row lock, and the trial's new activation elsewhere must still be able to write.
        var options = new PostgresStoreOptions { IdleInTransactionTimeout = TimeSpan.FromSeconds(1) };
        var connectionString = await ConnectionStringAsync();
        await using var silent = await SqlTrialStore.OpenPostgresAsync(connectionString, Clock, options, None);
        await using var elsewhere = await SqlTrialStore.OpenPostgresAsync(connectionString, Clock, options, None);
        await elsewhere.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        using var wakeUp = new ManualResetEventSlim();
        var locked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = Task.Run(() => silent.UpdateTrialAsync("t1", _ =>
        {
            // The row is locked now; the writer goes silent.
            locked.TrySetResult();
            wakeUp.Wait(TimeSpan.FromMinutes(2));
            return Outcome<TrialChange>.Refused(Refusal.Invalid("woke up too late"));
        }, None));
        try
        {
            await locked.Task.WaitAsync(TimeSpan.FromSeconds(30));

            var placed = await elsewhere.UpdateTrialAsync("t1", t => TrialLifecycle.Place(t, "silo-b", ["cpu0"], Clock.GetUtcNow()), None)
                .WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(placed.IsAccepted, placed.ToString());
            Assert.False(wakeUp.IsSet);
            Assert.Equal(TrialState.Placed, (await elsewhere.GetTrialAsync("t1", None))!.Snapshot.State);
        }
        finally
        {
            wakeUp.Set();
            // The silent writer's session was ended under it: whatever it does next, it changes nothing.
            await Task.WhenAny(stuck, Task.Delay(TimeSpan.FromSeconds(60)));
        }

        Assert.Equal(1, (await elsewhere.GetTrialAsync("t1", None))!.Snapshot.CurrentAttempt);
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
        await using var store = await SqlTrialStore.OpenPostgresAsync(await ConnectionStringAsync(), Clock, options, None);
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
        await using var store = await SqlTrialStore.OpenPostgresAsync(await ConnectionStringAsync(), Clock, options, None);

        // PostgreSQL text cannot hold NUL: a data error is a bug to report, not an outage to wait out.
        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() =>
            store.SubmitSweepAsync(TestData.Sweep() with { Name = "bad\0name" }, [TestData.Trial("t1")], "queued", None));

        Assert.False(PostgresTransientErrors.IsTransient(error), error.ToString());
        Assert.Equal(0, retries);
        Assert.Empty(await store.ListSweepsAsync(None));
    }

    private async Task<string> ConnectionStringAsync(string database = MainDatabase)
    {
        if (!_connectionStrings.TryGetValue(database, out var connectionString))
        {
            _connectionStrings[database] = connectionString = await Server.CreateDatabaseAsync(DatabaseName(database));
        }

        return connectionString;
    }

    private string DatabaseName(string database) => $"{_prefix}_{database}";
}
