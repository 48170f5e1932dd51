using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// Orleans grain storage over the embedded mode's SQLite file (<see cref="SqliteGrainStateFile"/>), one instance
/// per storage name, all sharing the file.
/// </summary>
/// <remarks>
/// <para>
/// Why our own provider rather than Orleans' ADO.NET provider on SQLite: that provider reaches SQLite only by
/// registering Microsoft.Data.Sqlite under another library's invariant name (<c>"System.Data.SQLite"</c>); it opens
/// its own connections, so the per-connection <c>synchronous</c> and <c>busy_timeout</c> settings that make a write
/// durable and a concurrent one wait cannot be set; and its SQLite scripts were rewritten upstream for 10.4.0 (the
/// earlier write query was replaced, with a migration for older databases), so vendoring the exact script of the
/// release we run matters and could not be checked here. This provider is one table and two conditional statements.
/// </para>
/// <para>
/// <b>ETags</b> are the row's version, a number that only grows (a cleared state keeps its row with no payload and a
/// new version, so a writer holding the ETag of the state before the clear is refused too). A write without an ETag
/// inserts only if the grain has no row; a write with one updates only the row still at that version. Either way the
/// check and the write are one statement, run by the file's one writer (<see cref="SqliteGrainStateFile.WriteAsync{T}"/>,
/// which commits concurrent writes together), so no other writer can come between them. A refused write throws
/// <see cref="InconsistentStateException"/> and changes nothing; Orleans then deactivates the grain, whose next
/// activation reads the stored state.
/// </para>
/// <para>
/// State is serialized with the Orleans serializer (<see cref="OrleansGrainStorageSerializer"/>), which honours the
/// <c>[Id]</c> and <c>[Alias]</c> versioning rules the state types are written to; Orleans' own default is JSON.
/// </para>
/// </remarks>
internal sealed class SqliteGrainStorage(
    string name,
    SqliteGrainStateFile file,
    IGrainStorageSerializer serializer,
    IActivatorProvider activators,
    string serviceId) : IGrainStorage
{
    public string Name => name;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await using var connection = await file.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, "SELECT version, payload FROM grain_state WHERE service_id = $service AND grain_id = $grain AND state_name = $state", stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            Reset(grainState, etag: null);
            return;
        }

        var etag = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
        if (reader.IsDBNull(1))
        {
            Reset(grainState, etag);
            return;
        }

        grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])reader.GetValue(1)))!;
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var payload = serializer.Serialize(grainState.State).ToArray();
        var expected = ParseETag(grainState.ETag, "write", stateName, grainId);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var refused = await file.WriteAsync((connection, transaction) =>
        {
            using var command = expected is null
                ? Command(connection, transaction, """
                    INSERT INTO grain_state (service_id, grain_id, state_name, version, payload, updated_at)
                    VALUES ($service, $grain, $state, 1, $payload, $now)
                    ON CONFLICT DO NOTHING
                    """, stateName, grainId)
                : Command(connection, transaction, """
                    UPDATE grain_state SET version = version + 1, payload = $payload, updated_at = $now
                    WHERE service_id = $service AND grain_id = $grain AND state_name = $state AND version = $expected
                    """, stateName, grainId);
            command.Parameters.AddWithValue("$payload", payload);
            command.Parameters.AddWithValue("$now", now);
            if (expected is not null)
            {
                command.Parameters.AddWithValue("$expected", expected.Value);
            }

            return command.ExecuteNonQuery() == 0 ? Conflict(connection, transaction, "write", stateName, grainId, grainState.ETag) : null;
        }, cancellationToken);
        if (refused is not null)
        {
            throw refused;
        }

        grainState.ETag = ((expected ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var expected = ParseETag(grainState.ETag, "clear", stateName, grainId);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var refused = await file.WriteAsync((connection, transaction) =>
        {
            if (expected is null)
            {
                // Nothing was read, so there must be nothing to clear.
                return StoredVersion(connection, transaction, stateName, grainId) is not null
                    ? Conflict(connection, transaction, "clear", stateName, grainId, grainState.ETag)
                    : null;
            }

            using var command = Command(connection, transaction, """
                UPDATE grain_state SET version = version + 1, payload = NULL, updated_at = $now
                WHERE service_id = $service AND grain_id = $grain AND state_name = $state AND version = $expected
                """, stateName, grainId);
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$expected", expected.Value);
            return command.ExecuteNonQuery() == 0 ? Conflict(connection, transaction, "clear", stateName, grainId, grainState.ETag) : null;
        }, cancellationToken);
        if (refused is not null)
        {
            throw refused;
        }

        Reset(grainState, expected is null ? null : (expected.Value + 1).ToString(CultureInfo.InvariantCulture));
    }

    private SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, string stateName, GrainId grainId)
    {
        var command = Command(connection, sql, stateName, grainId);
        command.Transaction = transaction;
        return command;
    }

    private SqliteCommand Command(SqliteConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$service", serviceId);
        command.Parameters.AddWithValue("$grain", grainId.ToString());
        command.Parameters.AddWithValue("$state", stateName);
        return command;
    }

    private long? StoredVersion(SqliteConnection connection, SqliteTransaction transaction, string stateName, GrainId grainId)
    {
        using var command = Command(connection, transaction, "SELECT version FROM grain_state WHERE service_id = $service AND grain_id = $grain AND state_name = $state", stateName, grainId);
        return command.ExecuteScalar() is long version ? version : null;
    }

    private InconsistentStateException Conflict(SqliteConnection connection, SqliteTransaction transaction, string operation, string stateName, GrainId grainId, string? etag)
    {
        // Read after the refused statement, for the message only: the decision was the statement's.
        var stored = StoredVersion(connection, transaction, stateName, grainId)?.ToString(CultureInfo.InvariantCulture);
        return new InconsistentStateException(
            $"Refused to {operation} state '{stateName}' of {grainId} in grain storage '{name}': it was read at version {etag ?? "(none)"}, the store holds version {stored ?? "(none)"}.",
            stored,
            etag);
    }

    private long? ParseETag(string? etag, string operation, string stateName, GrainId grainId) =>
        etag is null ? null
        : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version
        : throw new InconsistentStateException($"Refused to {operation} state '{stateName}' of {grainId} in grain storage '{name}': ETag '{etag}' is not one this storage wrote.", null, etag);

    private void Reset<T>(IGrainState<T> grainState, string? etag)
    {
        grainState.State = activators.GetActivator<T>().Create();
        grainState.ETag = etag;
        grainState.RecordExists = false;
    }
}
