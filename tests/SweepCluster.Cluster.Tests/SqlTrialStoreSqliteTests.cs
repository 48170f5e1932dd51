using System.Data.Common;
using Microsoft.Data.Sqlite;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

/// <summary>The store contract on SQLite, one fresh database file per test, plus what only SQLite has.</summary>
[Trait("Category", "Integration")]
public sealed class SqlTrialStoreSqliteTests : TrialStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sweepcluster-store-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => PathOf(MainDatabase);

    protected override string MigrationsFolder => "Sqlite";

    protected override async Task<ITrialStore> OpenStoreAsync(TimeProvider time, string database) =>
        await SqlTrialStore.OpenSqliteAsync(PathOf(database), time, CancellationToken.None);

    protected override async Task<DbConnection> ConnectAsync(string database)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(database))!);
        var connection = new SqliteConnection($"Data Source={PathOf(database)};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    protected override Task DeleteDatabasesAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private string PathOf(string database) => Path.Combine(_directory, "state", database + ".db");

    [Fact]
    public async Task Database_is_in_wal_mode()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public void Embedded_migration_scripts_are_found_in_version_order()
    {
        var scripts = SchemaMigrator.LoadScripts("Sqlite");

        Assert.Equal(1, scripts[0].Version);
        Assert.Equal("initial", scripts[0].Name);
        Assert.Contains("CREATE TABLE metric_points", scripts[0].Sql, StringComparison.Ordinal);
        Assert.Equal(scripts.Select(s => s.Version).Order(), scripts.Select(s => s.Version));
    }

    [Fact]
    public async Task A_failing_migration_leaves_no_trace()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        var shipped = SchemaMigrator.LoadScripts("Sqlite").Select(s => s.Version).ToList();
        MigrationScript[] scripts = [new(shipped[^1] + 1, "good", "CREATE TABLE extra (id INTEGER)"), new(shipped[^1] + 2, "bad", "CREATE TABLE broken (")];

        await using (var transaction = connection.BeginTransaction())
        {
            await Assert.ThrowsAsync<SqliteException>(() => SchemaMigrator.ApplyAsync(connection, transaction, scripts, TestData.T0, CancellationToken.None));
        }

        Assert.Equal(shipped, (await Store.GetAppliedMigrationsAsync(CancellationToken.None)).Select(m => m.Version));
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }
}
