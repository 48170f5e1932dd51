using Npgsql;
using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

public sealed partial class PostgresTrialStore
{
    private const string SelectTrials = """
        SELECT t.id, t.sweep_id, t.config_name, t.config_key, t.seed, t.parameters_json, t.expect, t.expected_verdict, t.config_json,
            t.gpus, t.gpu_memory_gib, t.labels_json, t.max_attempts, t.priority, t.order_index, t.submitted_at,
            t.state, t.current_attempt, t.pending_reason, t.summary_json, t.last_checkpoint_artifact_id,
            a.number, a.silo_id, a.slot_ids_json, a.state, a.lease_expires_at, a.started_at, a.ended_at, a.error,
            a.progress_step, a.progress_total_steps, a.progress_epoch,
            t.removed_in_revision, t.cancelled_by_removal
        FROM trials t LEFT JOIN attempts a ON a.trial_id = t.id AND a.number = t.current_attempt
        """;

    private const int AttemptColumnsOffset = 21;

    /// <summary>Where the trial's revision columns (migration 0002) start: after the attempt's.</summary>
    private const int RevisionColumnsOffset = 32;

    private const string QueueOrder = "ORDER BY t.priority DESC, t.submitted_at, t.order_index, t.id";

    private const string SelectAttempts = """
        SELECT number, silo_id, slot_ids_json, state, lease_expires_at, started_at, ended_at, error,
            progress_step, progress_total_steps, progress_epoch
        FROM attempts
        """;

    private const string SelectArtifactInfo = "SELECT id, trial_id, attempt, kind, name, sha256, size, created_at FROM artifacts";

    public Task<IReadOnlyList<string>> ListExpiredLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>(async connection =>
        {
            await using var command = Command(connection, null, """
                SELECT t.id FROM trials t JOIN attempts a ON a.trial_id = t.id AND a.number = t.current_attempt
                WHERE a.state IN ('leased', 'running') AND a.lease_expires_at <= @now
                ORDER BY a.lease_expires_at, t.id
                """, ("@now", now.ToUnixTimeMilliseconds()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var ids = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }, cancellationToken);

    public Task<IReadOnlyList<TrialSnapshot>> ListLiveAttemptsAsync(string siloId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<TrialSnapshot>>(async connection =>
            [.. (await ReadTrialsAsync(connection, null, $"{SelectTrials} WHERE a.silo_id = @silo AND a.state IN ('leased', 'running') ORDER BY t.id",
                cancellationToken, ("@silo", siloId))).Select(t => t.Snapshot)],
            cancellationToken);

    public Task<SiloRecord?> GetSiloAsync(string siloId, CancellationToken cancellationToken) =>
        ReadAsync(async connection => (await ReadSilosAsync(connection, "WHERE id = @id", cancellationToken, ("@id", siloId))).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<SiloRecord>> ListSilosAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadSilosAsync(connection, "ORDER BY id", cancellationToken), cancellationToken);

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
                WHERE (@sweep::text IS NULL OR sweep_id = @sweep) AND (@trial::text IS NULL OR trial_id = @trial) AND id > @after
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

    public Task<IReadOnlyList<SweepRecord>> ListSweepsAsync(CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadSweepsAsync(connection, null, "ORDER BY s.submitted_at DESC, s.id", cancellationToken), cancellationToken);

    public Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken) =>
        ReadAsync(async connection => (await ReadSweepsAsync(connection, null, "WHERE s.id = @id", cancellationToken, ("@id", sweepId))).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(string sweepId, CancellationToken cancellationToken) =>
        ReadAsync(connection => ReadTrialsAsync(connection, null, $"{SelectTrials} WHERE t.sweep_id = @sweep ORDER BY t.order_index, t.id",
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

    /// <summary>Locks the trial row (<paramref name="lockMode"/> is UPDATE or SHARE), then reads it with a fresh snapshot.</summary>
    private static async Task<TrialRecord?> LockAndReadTrialAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string trialId, string lockMode,
        CancellationToken cancellationToken)
    {
        var locked = await ReadIdsAsync(connection, transaction, $"SELECT t.id FROM trials t WHERE t.id = @id FOR {lockMode} OF t", cancellationToken, ("@id", trialId));
        return locked.Count == 0 ? null : await ReadTrialAsync(connection, transaction, trialId, cancellationToken);
    }

    private static async Task<TrialRecord?> ReadTrialAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string trialId, CancellationToken cancellationToken) =>
        (await ReadTrialsAsync(connection, transaction, $"{SelectTrials} WHERE t.id = @id", cancellationToken, ("@id", trialId))).FirstOrDefault();

    private static async Task<IReadOnlyList<TrialRecord>> ReadTrialsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
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

    private static async Task<IReadOnlyList<SiloRecord>> ReadSilosAsync(NpgsqlConnection connection, string where, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, null,
            $"SELECT id, name, labels_json, slots_json, registered_at, last_heartbeat_at FROM silos {where}", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var silos = new List<SiloRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var silo = new SiloInfo(reader.GetString(0), reader.GetString(1), LabelsFromJson(reader.GetString(2)), FromJson<List<SlotInfo>>(reader.GetString(3)));
            silos.Add(new SiloRecord(silo, FromMilliseconds(reader.GetInt64(4)), FromMilliseconds(reader.GetInt64(5))));
        }

        return silos;
    }

    private static async Task<IReadOnlyList<SweepRecord>> ReadSweepsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string whereAndOrder,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var sweeps = new List<(NewSweep Sweep, DateTimeOffset SubmittedAt, DateTimeOffset? CancelledAt, int Revision)>();
        await using (var command = Command(connection, transaction, $"""
            SELECT s.id, s.name, s.description, s.question, s.objective_metric, s.objective_goal, s.sweep_text, s.created_at, s.submitted_at, s.cancelled_at,
                s.revision
            FROM sweeps s {whereAndOrder}
            """, parameters))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var sweep = new NewSweep(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    ParseEnum<ObjectiveGoal>(reader.GetString(5)), reader.GetString(6), FromMilliseconds(reader.GetInt64(7)));
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

    private static TrialRecord ReadTrial(NpgsqlDataReader reader)
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
            OrderIndex: reader.GetInt32(14));
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
        };
        return new TrialRecord(definition, snapshot);
    }

    private static AttemptSnapshot ReadAttempt(NpgsqlDataReader reader, int offset)
    {
        AttemptProgress? progress = reader.IsDBNull(offset + 8)
            ? null
            : new AttemptProgress(reader.GetInt64(offset + 8), reader.IsDBNull(offset + 9) ? null : reader.GetInt64(offset + 9),
                reader.IsDBNull(offset + 10) ? null : reader.GetInt32(offset + 10));
        return new AttemptSnapshot(
            Number: reader.GetInt32(offset),
            State: ParseEnum<AttemptState>(reader.GetString(offset + 3)),
            SiloId: reader.GetString(offset + 1),
            SlotIds: FromJson<List<string>>(reader.GetString(offset + 2)),
            LeaseExpiresAt: FromMilliseconds(reader.GetInt64(offset + 4)),
            StartedAt: FromMilliseconds(reader.GetInt64(offset + 5)),
            EndedAt: reader.IsDBNull(offset + 6) ? null : FromMilliseconds(reader.GetInt64(offset + 6)),
            Error: NullableString(reader, offset + 7),
            Progress: progress);
    }

    private static ArtifactInfo ReadArtifactInfo(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.GetInt64(6), FromMilliseconds(reader.GetInt64(7)));
}
