using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// The embedded store's database: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so every committed write
/// is on disk before the call returns.
/// </summary>
/// <remarks>
/// Writes go through one writer per store instance (<see cref="SqliteWriteQueue"/>), each group in a
/// <c>BEGIN IMMEDIATE</c> transaction: SQLite's single write lock is held from the first read, so no rows need
/// locking and a read-decide-write never interleaves with another writer, even from another process. Readers use WAL
/// snapshots and never wait for writers.
/// </remarks>
internal sealed class SqliteDialect : StoreDialect
{
    private readonly string _connectionString;
    private readonly SqliteWriteQueue _writes;

    private SqliteDialect(string connectionString)
    {
        _connectionString = connectionString;
        _writes = new SqliteWriteQueue(OpenConnectionAsync);
    }

    public override TrialStoreKind Kind => TrialStoreKind.Sqlite;

    public override string MigrationsFolder => "Sqlite";

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/> and puts it in WAL mode.</summary>
    public static async Task<SqliteDialect> OpenAsync(string databasePath, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var dialect = new SqliteDialect(connectionString);
        try
        {
            await using var connection = await dialect.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // WAL is a property of the database file: set once, it stays.
            command.CommandText = "PRAGMA journal_mode=WAL";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return dialect;
        }
        catch
        {
            await dialect.DisposeAsync();
            throw;
        }
    }

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        _writes.WriteAsync(work, cancellationToken);

    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await read(connection);
    }

    public override string? LockClause(RowLock mode, string alias) => null;

    public override string IsOneOf(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override object IdList(IReadOnlyList<string> ids) => JsonSerializer.Serialize(ids);

    /// <summary>SQLite cannot store NaN (it would turn it into NULL anyway): NaN is written as NULL and read back as NaN.</summary>
    public override object? Double(double value) => double.IsNaN(value) ? null : value;

    public override async ValueTask DisposeAsync()
    {
        // Writes already queued are still committed; later ones are refused.
        await _writes.CompleteAsync();
        // Pooled connections would keep the file (and its WAL) open after the store is gone.
        await using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
