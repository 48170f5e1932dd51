using System.Data.Common;
using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

public sealed partial class SqlTrialStore
{
    private const string SelectTrials = """
        SELECT t.id, t.sweep_id, t.config_name, t.config_key, t.seed, t.parameters_json, t.expect, t.expected_verdict, t.config_json,
            t.gpus, t.gpu_memory_gib, t.labels_json, t.max_attempts, t.priority, t.order_index, t.submitted_at,
            t.state, t.current_attempt, t.pending_reason, t.summary_json, t.last_checkpoint_artifact_id,
            a.number, a.silo_id, a.slot_ids_json, a.state, a.started_at, a.ended_at, a.error,
            a.progress_step, a.progress_total_steps, a.progress_epoch,
            t.removed_in_revision, t.cancelled_by_removal,
            t.early_stopping, t.stop_reason
        FROM trials t LEFT JOIN attempts a ON a.trial_id = t.id AND a.number = t.current_attempt
        """;

    private const int AttemptColumnsOffset = 21;

    /// <summary>Where the trial's revision columns (migration 0002) start: after the attempt's.</summary>
    private const int RevisionColumnsOffset = 31;

    private const string SweepOrder = "ORDER BY t.order_index, t.id";

    private const string SelectAttempts = """
        SELECT number, silo_id, slot_ids_json, state, started_at, ended_at, error,
            progress_step, progress_total_steps, progress_epoch
        FROM attempts
        """;

    private const string SelectArtifactInfo = "SELECT id, trial_id, attempt, kind, name, sha256, size, created_at FROM artifacts";

    public Task<Artifact?> GetArtifactAsync(string artifactId, CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            await using var command = Command(connection, null,
                "SELECT id, trial_id, attempt, kind, name, sha256, size, created_at, content FROM artifacts WHERE id = @id", ("@id", artifactId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new Artifact(ReadArtifactInfo(reader), (byte[])reader.GetValue(8))
                : null;
        }, cancellationToken);

    public Task<IReadOnlyList<ArtifactInfo>> ListArtifactsAsync(string trialId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ArtifactInfo>>(async connection =>
        {
            await using var command = Command(connection, null, $"{SelectArtifactInfo} WHERE trial_id = @trial ORDER BY attempt, created_at, id", ("@trial", trialId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var artifacts = new List<ArtifactInfo>();
            while (await reader.ReadAsync(cancellationToken))
            {
                artifacts.Add(ReadArtifactInfo(reader));
            }

            return artifacts;
        }, cancellationToken);

    public Task<IReadOnlyList<EventRecord>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync<IReadOnlyList<EventRecord>>(async connection =>
        {
            await using var command = Command(connection, null, """
                SELECT id, at, sweep_id, trial_id, attempt, kind, message FROM events
                WHERE (CAST(@sweep AS TEXT) IS NULL OR sweep_id = @sweep) AND (CAST(@trial AS TEXT) IS NULL OR trial_id = @trial) AND id > @after
                ORDER BY id LIMIT @limit
                """, ("@sweep", query.SweepId), ("@trial", query.TrialId), ("@after", query.AfterId), ("@limit", query.Limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var events = new List<EventRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new EventRecord(reader.GetInt64(0), FromMilliseconds(reader.GetInt64(1)), NullableString(reader, 2), NullableString(reader, 3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetString(5), reader.GetString(6)));
            }

            return events;
        }, cancellationToken);
    }

    public Task<long> LatestEventIdAsync(CancellationToken cancellationToken) =>
        ReadAsync(async connection =>
        {
            await using var command = Command(connection, null, "SELECT COALESCE(MAX(id), 0) FROM events");
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task<IReadOnlyList<SweepRecord>> ListSweepsAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadSweepsAsync(connection, null, "ORDER BY s.submitted_at DESC, s.id", cancellationToken), cancellationToken);

    public Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken) =>
        ReadAsync(async connection => (await ReadSweepsAsync(connection, null, "WHERE s.id = @id", cancellationToken, ("@id", sweepId))).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(string sweepId, CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadTrialsAsync(connection, null, $"{SelectTrials} WHERE t.sweep_id = @sweep {SweepOrder}",
            cancellationToken, ("@sweep", sweepId)), cancellationToken);

    public Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadTrialAsync(connection, null, trialId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AttemptSnapshot>> ListAttemptsAsync(string trialId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<AttemptSnapshot>>(async connection =>
        {
            await using var command = Command(connection, null, $"{SelectAttempts} WHERE trial_id = @trial ORDER BY number", ("@trial", trialId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var attempts = new List<AttemptSnapshot>();
            while (await reader.ReadAsync(cancellationToken))
            {
                attempts.Add(ReadAttempt(reader, 0));
            }

            return attempts;
        }, cancellationToken);

    public Task<IReadOnlyList<MetricPointRecord>> GetMetricPointsAsync(string trialId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<MetricPointRecord>>(async connection =>
        {
            await using var command = Command(connection, null, """
                SELECT trial_id, attempt, step, name, value, epoch, kind, recorded_at FROM metric_points
                WHERE trial_id = @trial ORDER BY name, step, attempt
                """, ("@trial", trialId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var points = new List<MetricPointRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var point = new MetricPoint(reader.GetInt64(2), reader.GetString(3), reader.IsDBNull(4) ? double.NaN : reader.GetDouble(4),
                    reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.GetString(6));
                points.Add(new MetricPointRecord(reader.GetString(0), reader.GetInt32(1), point, FromMilliseconds(reader.GetInt64(7))));
            }

            return points;
        }, cancellationToken);

    public Task<IReadOnlyList<AppliedMigration>> GetAppliedMigrationsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<AppliedMigration>>(async connection =>
        {
            await using var command = Command(connection, null, "SELECT version, name, applied_at FROM schema_version ORDER BY version");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var migrations = new List<AppliedMigration>();
            while (await reader.ReadAsync(cancellationToken))
            {
                migrations.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1), FromMilliseconds(reader.GetInt64(2))));
            }

            return migrations;
        }, cancellationToken);

    private Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken) => _dialect.ReadAsync(read, cancellationToken);

    /// <summary>Reads one trial to decide on, locked first where the dialect locks rows (<see cref="LockAndReadTrialsAsync"/>).</summary>
    private async Task<TrialRecord?> LockAndReadTrialAsync(DbConnection connection, DbTransaction transaction, string trialId, RowLock mode,
        CancellationToken cancellationToken)
    {
        if (_dialect.LockClause(mode, "t") is { } lockClause
            && (await ReadIdsAsync(connection, transaction, $"SELECT t.id FROM trials t WHERE t.id = @id {lockClause}", cancellationToken, ("@id", trialId))).Count == 0)
        {
            return null;
        }

        return await ReadTrialAsync(connection, transaction, trialId, cancellationToken);
    }

    /// <summary>
    /// Reads the trials <paramref name="where"/> selects, in sweep order, to decide on. Where the dialect locks rows, a
    /// statement of its own locks them first, in that fixed order (so two writers locking overlapping sets cannot
    /// deadlock), and only the rows it locked are read, by the next statement: its snapshot includes whatever the
    /// previous holder of a lock committed, attempt rows included.
    /// </summary>
    private async Task<IReadOnlyList<TrialRecord>> LockAndReadTrialsAsync(DbConnection connection, DbTransaction transaction, RowLock mode, string where,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        if (_dialect.LockClause(mode, "t") is not { } lockClause)
        {
            return await ReadTrialsAsync(connection, transaction, $"{SelectTrials} WHERE {where} {SweepOrder}", cancellationToken, parameters);
        }

        var locked = await ReadIdsAsync(connection, transaction, $"SELECT t.id FROM trials t WHERE {where} {SweepOrder} {lockClause}", cancellationToken, parameters);
        return locked.Count == 0
            ? []
            : await ReadTrialsAsync(connection, transaction, $"{SelectTrials} WHERE {_dialect.IsOneOf("t.id", "@locked")} AND {where} {SweepOrder}",
                cancellationToken, [("@locked", _dialect.IdList(locked)), .. parameters]);
    }

    private static async Task<TrialRecord?> ReadTrialAsync(DbConnection connection, DbTransaction? transaction, string trialId, CancellationToken cancellationToken) =>
        (await ReadTrialsAsync(connection, transaction, $"{SelectTrials} WHERE t.id = @id", cancellationToken, ("@id", trialId))).FirstOrDefault();

    private static async Task<IReadOnlyList<TrialRecord>> ReadTrialsAsync(DbConnection connection, DbTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var trials = new List<TrialRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            trials.Add(ReadTrial(reader));
        }

        return trials;
    }

    private static async Task<IReadOnlyList<SweepRecord>> ReadSweepsAsync(DbConnection connection, DbTransaction? transaction, string whereAndOrder,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var sweeps = new List<(NewSweep Sweep, DateTimeOffset SubmittedAt, DateTimeOffset? CancelledAt, int Revision)>();
        await using (var command = Command(connection, transaction, $"""
            SELECT s.id, s.name, s.description, s.question, s.objective_metric, s.objective_goal, s.sweep_text, s.created_at, s.submitted_at, s.cancelled_at,
                s.revision, s.early_stopping_json
            FROM sweeps s {whereAndOrder}
            """, parameters))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var sweep = new NewSweep(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    ParseEnum<ObjectiveGoal>(reader.GetString(5)), reader.GetString(6), FromMilliseconds(reader.GetInt64(7)))
                {
                    EarlyStopping = reader.IsDBNull(11) ? null : EarlyStopping.StoppingPolicy.FromJson(reader.GetString(11)),
                };
                sweeps.Add((sweep, FromMilliseconds(reader.GetInt64(8)), reader.IsDBNull(9) ? null : FromMilliseconds(reader.GetInt64(9)), reader.GetInt32(10)));
            }
        }

        var counts = new Dictionary<string, Dictionary<TrialState, int>>(StringComparer.Ordinal);
        await using (var command = Command(connection, transaction,
            "SELECT sweep_id, state, COUNT(*) FROM trials WHERE removed_in_revision IS NULL GROUP BY sweep_id, state"))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!counts.TryGetValue(reader.GetString(0), out var perState))
                {
                    counts[reader.GetString(0)] = perState = [];
                }

                perState[ParseEnum<TrialState>(reader.GetString(1))] = checked((int)reader.GetInt64(2));
            }
        }

        return [.. sweeps.Select(s => new SweepRecord(s.Sweep, s.SubmittedAt, s.CancelledAt,
            counts.TryGetValue(s.Sweep.Id, out var perState) ? perState : new Dictionary<TrialState, int>(), s.Revision))];
    }

    private static TrialRecord ReadTrial(DbDataReader reader)
    {
        var resources = new ResourceRequest(reader.GetInt32(9), reader.GetDouble(10), LabelsFromJson(reader.GetString(11)));
        var definition = new NewTrial(
            Id: reader.GetString(0),
            ConfigName: reader.GetString(2),
            ConfigKey: reader.GetString(3),
            Seed: reader.GetInt64(4),
            ParametersJson: reader.GetString(5),
            Expect: reader.GetString(6),
            ExpectedVerdict: NullableString(reader, 7),
            ConfigJson: reader.GetString(8),
            Resources: resources,
            MaxAttempts: reader.GetInt32(12),
            Priority: reader.GetInt32(13),
            OrderIndex: reader.GetInt32(14))
        {
            EarlyStopping = reader.GetBoolean(RevisionColumnsOffset + 2),
        };
        var snapshot = new TrialSnapshot(
            Id: definition.Id,
            SweepId: reader.GetString(1),
            State: ParseEnum<TrialState>(reader.GetString(16)),
            CurrentAttempt: reader.GetInt32(17),
            MaxAttempts: definition.MaxAttempts,
            Priority: definition.Priority,
            OrderIndex: definition.OrderIndex,
            SubmittedAt: FromMilliseconds(reader.GetInt64(15)),
            Resources: resources,
            Attempt: reader.IsDBNull(AttemptColumnsOffset) ? null : ReadAttempt(reader, AttemptColumnsOffset),
            PendingReason: NullableString(reader, 18),
            SummaryJson: NullableString(reader, 19),
            LastCheckpointArtifactId: NullableString(reader, 20))
        {
            RemovedInRevision = reader.IsDBNull(RevisionColumnsOffset) ? null : reader.GetInt32(RevisionColumnsOffset),
            CancelledByRemoval = reader.GetBoolean(RevisionColumnsOffset + 1),
            StopReason = NullableString(reader, RevisionColumnsOffset + 3),
        };
        return new TrialRecord(definition, snapshot);
    }

    private static AttemptSnapshot ReadAttempt(DbDataReader reader, int offset)
    {
        AttemptProgress? progress = reader.IsDBNull(offset + 7)
            ? null
            : new AttemptProgress(reader.GetInt64(offset + 7), reader.IsDBNull(offset + 8) ? null : reader.GetInt64(offset + 8),
                reader.IsDBNull(offset + 9) ? null : reader.GetInt32(offset + 9));
        return new AttemptSnapshot(
            Number: reader.GetInt32(offset),
            State: ParseEnum<AttemptState>(reader.GetString(offset + 3)),
            SiloId: reader.GetString(offset + 1),
            SlotIds: FromJson<List<string>>(reader.GetString(offset + 2)),
            StartedAt: FromMilliseconds(reader.GetInt64(offset + 4)),
            EndedAt: reader.IsDBNull(offset + 5) ? null : FromMilliseconds(reader.GetInt64(offset + 5)),
            Error: NullableString(reader, offset + 6),
            Progress: progress);
    }

    private static ArtifactInfo ReadArtifactInfo(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.GetInt64(6), FromMilliseconds(reader.GetInt64(7)));
}
