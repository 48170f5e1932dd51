using Npgsql;
using SweepCluster.Cluster.Hosting;

namespace SweepCluster.Cluster.Tests;

/// <summary><see cref="OrleansPostgresSchema"/> on a real PostgreSQL server, one fresh database per test.</summary>
[Trait("Category", "Integration")]
public sealed class OrleansPostgresSchemaTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Every query key the 10.4.2 providers require (their DbStoredQueries), clustering, persistence and reminders.</summary>
    private static readonly string[] RequiredQueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey",
        "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private readonly string _database = "orleans_schema_" + Guid.NewGuid().ToString("N");
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await fixture.Server.CreateDatabaseAsync(_database);

    public Task DisposeAsync() => fixture.Server.DropDatabaseAsync(_database);

    [Fact]
    public async Task Applies_the_vendored_scripts_once_and_a_second_run_changes_nothing()
    {
        var first = await OrleansPostgresSchema.ApplyAsync(_connectionString, None);

        Assert.Equal(OrleansPostgresSchema.Scripts, first);
        Assert.Equal(OrleansPostgresSchema.Scripts, await OrleansPostgresSchema.GetAppliedAsync(_connectionString, None));
        Assert.Subset(new HashSet<string>(await QueryKeysAsync(), StringComparer.Ordinal), new HashSet<string>(RequiredQueryKeys, StringComparer.Ordinal));
        foreach (var table in new[] { "orleansquery", "orleansmembershiptable", "orleansmembershipversiontable", "orleansstorage", "orleansreminderstable" })
        {
            Assert.True(await TableExistsAsync(table), table);
        }

        var second = await OrleansPostgresSchema.ApplyAsync(_connectionString, None);

        Assert.Empty(second);
        Assert.Equal(OrleansPostgresSchema.Scripts, await OrleansPostgresSchema.GetAppliedAsync(_connectionString, None));
    }

    [Fact]
    public async Task Concurrent_runs_apply_each_script_exactly_once()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OrleansPostgresSchema.ApplyAsync(_connectionString, None))));

        Assert.Equal(OrleansPostgresSchema.Scripts, runs.Single(r => r.Count > 0));
        Assert.Equal(3, runs.Count(r => r.Count == 0));
        Assert.Equal(OrleansPostgresSchema.Scripts, await OrleansPostgresSchema.GetAppliedAsync(_connectionString, None));
    }

    [Fact]
    public async Task A_failing_script_leaves_the_database_as_it_was()
    {
        IReadOnlyList<(string, string)> scripts = [("ok.sql", "CREATE TABLE ok_table (x integer)"), ("broken.sql", "CREATE TABLE broken_table (x no_such_type)")];

        await Assert.ThrowsAsync<PostgresException>(() => OrleansPostgresSchema.ApplyAsync(_connectionString, scripts, None));

        Assert.False(await TableExistsAsync("ok_table"));
        Assert.False(await TableExistsAsync(OrleansPostgresSchema.TableName));
    }

    [Fact]
    public async Task A_recorded_script_whose_text_changed_is_refused()
    {
        await OrleansPostgresSchema.ApplyAsync(_connectionString, [("a.sql", "CREATE TABLE a_table (x integer)")], None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => OrleansPostgresSchema.ApplyAsync(_connectionString, [("a.sql", "CREATE TABLE a_table (x bigint)"), ("b.sql", "CREATE TABLE b_table (x integer)")], None));

        Assert.Contains("a.sql was applied to this database with SHA-256", error.Message, StringComparison.Ordinal);
        Assert.False(await TableExistsAsync("b_table"));
        Assert.Equal(["a.sql"], await OrleansPostgresSchema.GetAppliedAsync(_connectionString, None));
    }

    private async Task<List<string>> QueryKeysAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT querykey FROM orleansquery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private async Task<bool> TableExistsAsync(string table)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
        command.Parameters.AddWithValue("name", table);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
