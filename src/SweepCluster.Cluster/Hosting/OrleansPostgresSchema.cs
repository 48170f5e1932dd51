using System.Security.Cryptography;
using System.Text;
using Npgsql;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// Applies Orleans' PostgreSQL scripts (vendored unmodified in <c>Hosting/OrleansSql/</c>) to a database, each
/// once, in order, recording each in <c>sweepcluster_orleans_scripts</c> with its SHA-256.
/// </summary>
/// <remarks>
/// <para>
/// The approach of <see cref="SchemaMigrator"/> (our own tables): one transaction under a transaction-scoped
/// advisory lock, so hosts starting together apply the scripts once between them (the second waits for the first
/// to commit, then finds every script recorded) and a failing script leaves the database as it was. A table of its
/// own rather than <c>schema_version</c>, because Orleans' scripts are not numbered and live beside our tables in the
/// same database.
/// </para>
/// <para>
/// Orleans' scripts are not idempotent (plain <c>CREATE TABLE</c>), so a recorded script is never run again. A
/// recorded script whose bytes changed is refused: the vendored files are never edited; an Orleans upgrade that
/// changes the schema adds upstream's migration script to <see cref="Scripts"/> as a new entry after the others.
/// A database prepared by hand is either left to the operator (<see cref="ClusterOrleansOptions.ApplySchema"/> off)
/// or has its scripts recorded in the table first.
/// </para>
/// </remarks>
public static class OrleansPostgresSchema
{
    /// <summary>The table recording the applied scripts.</summary>
    public const string TableName = "sweepcluster_orleans_scripts";

    /// <summary>"SWORLNS1": not the lock of our own tables' migrator, so the two never wait for each other.</summary>
    private const long LockKey = 0x5357_4f52_4c4e_5331;

    /// <summary>The scripts, in the order they are applied; new ones are appended, never inserted.</summary>
    public static IReadOnlyList<string> Scripts { get; } =
    [
        "PostgreSQL-Main.sql",
        "PostgreSQL-Clustering.sql",
        "PostgreSQL-Persistence.sql",
        "PostgreSQL-Reminders.sql",
    ];

    /// <summary>
    /// Applies the scripts not yet recorded and returns their names (empty when the database was up to date).
    /// <paramref name="connectionString"/> is a <c>postgres://</c> URL or an Npgsql connection string.
    /// </summary>
    public static Task<IReadOnlyList<string>> ApplyAsync(string connectionString, CancellationToken cancellationToken) =>
        ApplyAsync(connectionString, [.. Scripts.Select(name => (name, Load(name)))], cancellationToken);

    /// <summary>The scripts recorded in the database, in the order they were applied.</summary>
    public static async Task<IReadOnlyList<string>> GetAppliedAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString.Normalize(connectionString));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT name FROM {TableName} ORDER BY position", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>Applies <paramref name="scripts"/> (name, SQL) as <see cref="ApplyAsync(string, CancellationToken)"/> does the vendored ones.</summary>
    internal static async Task<IReadOnlyList<string>> ApplyAsync(string connectionString, IReadOnlyList<(string Name, string Sql)> scripts, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString.Normalize(connectionString));
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The lock comes first: two CREATE TABLE IF NOT EXISTS running at once can still collide.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", LockKey));
        await ExecuteAsync(connection, transaction, $"""
            CREATE TABLE IF NOT EXISTS {TableName} (
                position INTEGER NOT NULL,
                name TEXT NOT NULL PRIMARY KEY,
                sha256 TEXT NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand($"SELECT name, sha256 FROM {TableName}", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var applied = new List<string>();
        for (var position = 0; position < scripts.Count; position++)
        {
            var (name, sql) = scripts[position];
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            if (recorded.TryGetValue(name, out var recordedSha256))
            {
                if (!string.Equals(recordedSha256, sha256, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"Orleans script {name} was applied to this database with SHA-256 {recordedSha256}, but this build carries SHA-256 {sha256}. " +
                        "Vendored scripts are never edited: restore the file, and add upstream's migration as a new script instead.");
                }

                continue;
            }

            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await ExecuteAsync(connection, transaction, $"INSERT INTO {TableName} (position, name, sha256) VALUES (@position, @name, @sha256)", cancellationToken,
                ("position", position), ("name", name), ("sha256", sha256));
            applied.Add(name);
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    private static string Load(string name)
    {
        var resource = "Hosting/OrleansSql/" + name;
        using var stream = typeof(OrleansPostgresSchema).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Orleans script '{resource}' is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
