using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// The store over ADO.NET: one SQLite file for the embedded mode (<see cref="OpenSqliteAsync"/>), PostgreSQL for a
/// cluster whose processes share one database (<see cref="OpenPostgresAsync"/>). The statements are the same on both;
/// a <see cref="StoreDialect"/> supplies what differs.
/// </summary>
/// <remarks>
/// <para>Every write is one transaction of the dialect (<see cref="StoreDialect.WriteAsync"/>). Decisions are made on
/// rows no other writer can change meanwhile: on SQLite every write transaction holds the database's write lock from
/// its first read (<c>BEGIN IMMEDIATE</c>); on PostgreSQL a transition locks its trial with <c>FOR UPDATE</c>, metric
/// writes hold a <c>FOR SHARE</c> lock so no transition can end the attempt between the guard and the write, and a
/// submission or a cancel locks its sweep, then its trials in one fixed order, so two of them cannot deadlock on each
/// other.</para>
/// <para>On PostgreSQL a transient error retries the whole transaction, decision functions included: submits, metric
/// points and artifacts are idempotent and a repeated Complete or Fail is acknowledged unchanged, but a repeated event
/// append may log the event twice. Event ids come from an identity column there: they grow with time, but two
/// transactions committing out of order may make a smaller id visible after a larger one.</para>
/// <para>Artifact bytes are stored in the database (BLOB, BYTEA); artifact names never reach the file system.</para>
/// </remarks>
public sealed partial class SqlTrialStore : ITrialStore
{
    /// <summary>Trial inserts sent in one batch when a sweep is submitted.</summary>
    private const int SubmitBatchSize = 500;

    private const string OpenStates = "('pending', 'placed', 'running')";

    private readonly StoreDialect _dialect;
    private readonly TimeProvider _time;

    private SqlTrialStore(StoreDialect dialect, TimeProvider time)
    {
        _dialect = dialect;
        _time = time;
    }

    /// <summary>Which database the store runs on.</summary>
    public TrialStoreKind Kind => _dialect.Kind;

    /// <summary>Opens (creating if needed) the SQLite database at <paramref name="databasePath"/> and applies pending migrations.</summary>
    public static async Task<SqlTrialStore> OpenSqliteAsync(string databasePath, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        return await OpenAsync(await SqliteDialect.OpenAsync(databasePath, cancellationToken), time, cancellationToken);
    }

    /// <summary>
    /// Connects to the PostgreSQL database named by <paramref name="connectionString"/> (an Npgsql
    /// <c>Host=...;Database=...</c> string or a <c>postgres://user:password@host:port/database</c> URL) and applies
    /// pending migrations. Opening also retries transient errors, so a coordinator may start before its database does.
    /// </summary>
    public static Task<SqlTrialStore> OpenPostgresAsync(string connectionString, TimeProvider time, PostgresStoreOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        return OpenAsync(new PostgresDialect(connectionString, options), time, cancellationToken);
    }

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    public Task<SubmitResult> SubmitSweepAsync(string sweepId, IReadOnlyList<string> trialIds, Func<SweepRecord?, IReadOnlyList<TrialRecord>, SubmitPlan> plan,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trialIds);
        ArgumentNullException.ThrowIfNull(plan);
        return _dialect.WriteAsync(async (connection, transaction) =>
        {
            var now = Now();
            while (true)
            {
                // The sweep row first, then its trials in one fixed order (as a cancel locks them): a second submission of
                // the sweep waits here until this one commits, and then decides on what it wrote.
                var stored = (await ReadSweepsAsync(connection, transaction, $"WHERE s.id = @id {_dialect.LockClause(RowLock.Update, "s")}",
                    cancellationToken, ("@id", sweepId))).FirstOrDefault();
                var own = stored is null
                    ? []
                    : await LockAndReadTrialsAsync(connection, transaction, RowLock.Update, "t.sweep_id = @sweep", cancellationToken, ("@sweep", sweepId));
                // Other sweeps' trials are only looked at, not changed: no lock.
                var elsewhere = await ReadTrialsAsync(connection, transaction,
                    $"{SelectTrials} WHERE {_dialect.IsOneOf("t.id", "@ids")} AND t.sweep_id <> @sweep {SweepOrder}",
                    cancellationToken, ("@ids", _dialect.IdList(trialIds)), ("@sweep", sweepId));
                IReadOnlyList<TrialRecord> trials = [.. own, .. elsewhere];
                var decided = plan(stored, trials);
                decided.Check(sweepId, stored, trials);
                if (decided.Sweep is { } sweep)
                {
                    var written = await ExecuteAsync(connection, transaction, stored is null
                        ? """
                            INSERT INTO sweeps (id, name, description, question, objective_metric, objective_goal, sweep_text, created_at, submitted_at, revision,
                                early_stopping_json)
                            VALUES (@id, @name, @description, @question, @metric, @goal, @text, @created, @now, @revision, @early_stopping)
                            ON CONFLICT (id) DO NOTHING
                            """
                        : """
                            UPDATE sweeps SET name = @name, description = @description, question = @question, objective_metric = @metric,
                                objective_goal = @goal, sweep_text = @text, revision = @revision, early_stopping_json = @early_stopping
                            WHERE id = @id
                            """, cancellationToken,
                        ("@id", sweepId), ("@name", sweep.Name), ("@description", sweep.Description), ("@question", sweep.Question),
                        ("@metric", sweep.ObjectiveMetric), ("@goal", Lower(sweep.ObjectiveGoal)), ("@text", sweep.SweepText),
                        ("@created", sweep.CreatedAt.ToUnixTimeMilliseconds()), ("@now", now), ("@revision", decided.Revision),
                        ("@early_stopping", sweep.EarlyStopping?.ToJson()));
                    if (written == 0)
                    {
                        // A concurrent first submission of the sweep committed it after this one read nothing (PostgreSQL
                        // has no row to lock yet): decide again.
                        continue;
                    }
                }

                // The new trials go in batches, one round trip each rather than one per trial: thousands of trials submitted
                // while the cluster is busy otherwise wait on the server longer than a grain call may take.
                foreach (var chunk in decided.NewTrials.Chunk(SubmitBatchSize))
                {
                    // A trial id another sweep already holds stays that sweep's.
                    await ExecuteBatchAsync(connection, transaction, [.. chunk.Select(trial => new SqlStatement("""
                        INSERT INTO trials (id, sweep_id, config_name, config_key, seed, parameters_json, expect, expected_verdict, config_json,
                            gpus, gpu_memory_gib, labels_json, max_attempts, priority, order_index, submitted_at,
                            state, current_attempt, pending_reason, updated_at, early_stopping)
                        VALUES (@id, @sweep, @config_name, @config_key, @seed, @parameters, @expect, @verdict, @config,
                            @gpus, @memory, @labels, @max_attempts, @priority, @order, @now,
                            'pending', 0, @reason, @now, @early_stopping)
                        ON CONFLICT (id) DO NOTHING
                        """,
                        [("@sweep", sweepId), ("@now", now), ("@reason", decided.PendingReason), .. DefinitionParameters(trial)]))], cancellationToken);
                }

                foreach (var trial in decided.Redefined)
                {
                    await ExecuteAsync(connection, transaction, """
                        UPDATE trials SET config_name = @config_name, config_key = @config_key, seed = @seed, parameters_json = @parameters,
                            expect = @expect, expected_verdict = @verdict, config_json = @config, gpus = @gpus, gpu_memory_gib = @memory,
                            labels_json = @labels, max_attempts = @max_attempts, priority = @priority, order_index = @order, updated_at = @now,
                            early_stopping = @early_stopping
                        WHERE id = @id
                        """, cancellationToken,
                        [("@now", now), .. DefinitionParameters(trial)]);
                }

                foreach (var change in decided.Changes)
                {
                    await WriteChangeAsync(connection, transaction, change, now, cancellationToken);
                }

                await InsertEventAsync(connection, transaction, new NewEvent(sweepId, null, null, decided.EventKind, decided.EventMessage), now, cancellationToken);
                return decided.Result;
            }
        }, cancellationToken);
    }

    public Task<Outcome<TrialChange>> UpdateTrialAsync(string trialId, Func<TrialSnapshot, Outcome<TrialChange>> transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return _dialect.WriteAsync(async (connection, transaction) =>
        {
            var trial = await LockAndReadTrialAsync(connection, transaction, trialId, RowLock.Update, cancellationToken);
            if (trial is null)
            {
                return Outcome<TrialChange>.Refused(Refusal.NotFound($"Trial {trialId} does not exist."));
            }

            var outcome = transition(trial.Snapshot);
            if (outcome.IsAccepted && !outcome.Value.Unchanged)
            {
                if (!string.Equals(outcome.Value.Next.Id, trialId, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"A transition of trial {trialId} returned trial {outcome.Value.Next.Id}.");
                }

                await WriteChangeAsync(connection, transaction, outcome.Value, Now(), cancellationToken);
            }

            return outcome;
        }, cancellationToken);
    }

    public Task<Outcome<IReadOnlyList<TrialChange>>> CancelSweepAsync(string sweepId, Func<TrialSnapshot, Outcome<TrialChange>> transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return _dialect.WriteAsync(async (connection, transaction) =>
        {
            var now = Now();
            var found = await ExecuteAsync(connection, transaction, "UPDATE sweeps SET cancelled_at = COALESCE(cancelled_at, @now) WHERE id = @id",
                cancellationToken, ("@now", now), ("@id", sweepId));
            if (found == 0)
            {
                return Outcome<IReadOnlyList<TrialChange>>.Refused(Refusal.NotFound($"Sweep {sweepId} does not exist."));
            }

            var open = await LockAndReadTrialsAsync(connection, transaction, RowLock.Update, $"t.sweep_id = @sweep AND t.state IN {OpenStates}",
                cancellationToken, ("@sweep", sweepId));
            var applied = new List<TrialChange>();
            foreach (var trial in open)
            {
                var outcome = transition(trial.Snapshot);
                if (outcome.IsAccepted && !outcome.Value.Unchanged)
                {
                    await WriteChangeAsync(connection, transaction, outcome.Value, now, cancellationToken);
                    applied.Add(outcome.Value);
                }
            }

            await InsertEventAsync(connection, transaction, new NewEvent(sweepId, null, null, "sweep.cancelled",
                $"sweep cancelled: {applied.Count} trial(s) cancelled"), now, cancellationToken);
            return Outcome<IReadOnlyList<TrialChange>>.Accepted(applied);
        }, cancellationToken);
    }

    public Task<Outcome<int>> AppendMetricsAsync(string trialId, int attempt, IReadOnlyList<MetricPoint> points, Func<TrialSnapshot, Refusal?> guard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(guard);
        return _dialect.WriteAsync(async (connection, transaction) =>
        {
            // A share lock: batches of one attempt do not wait for each other, but no transition can end the attempt
            // between the guard's check and the insert.
            var trial = await LockAndReadTrialAsync(connection, transaction, trialId, RowLock.Share, cancellationToken);
            if (trial is null)
            {
                return Outcome<int>.Refused(Refusal.NotFound($"Trial {trialId} does not exist."));
            }

            if (guard(trial.Snapshot) is { } refusal)
            {
                return Outcome<int>.Refused(refusal);
            }

            var now = Now();
            var added = 0;
            foreach (var point in points)
            {
                added += await ExecuteAsync(connection, transaction, """
                    INSERT INTO metric_points (trial_id, attempt, step, name, value, epoch, kind, recorded_at)
                    VALUES (@trial, @attempt, @step, @name, @value, @epoch, @kind, @now)
                    ON CONFLICT (trial_id, attempt, step, name) DO NOTHING
                    """, cancellationToken,
                    ("@trial", trialId), ("@attempt", attempt), ("@step", point.Step), ("@name", point.Name),
                    ("@value", _dialect.Double(point.Value)), ("@epoch", point.Epoch), ("@kind", point.Kind), ("@now", now));
            }

            return Outcome<int>.Accepted(added);
        }, cancellationToken);
    }

    public Task<Outcome<ArtifactInfo>> PutArtifactAsync(ArtifactUpload upload, Func<TrialSnapshot, Refusal?> guard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(guard);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(upload.Content.Span));
        var id = ArtifactId(upload);
        var content = upload.Content.ToArray();
        return _dialect.WriteAsync(async (connection, transaction) =>
        {
            // An update lock, not a share lock: a checkpoint rewrites the trial row, and upgrading a shared lock held by two
            // uploads at once would deadlock.
            var trial = await LockAndReadTrialAsync(connection, transaction, upload.TrialId, RowLock.Update, cancellationToken);
            if (trial is null)
            {
                return Outcome<ArtifactInfo>.Refused(Refusal.NotFound($"Trial {upload.TrialId} does not exist."));
            }

            if (guard(trial.Snapshot) is { } refusal)
            {
                return Outcome<ArtifactInfo>.Refused(refusal);
            }

            var now = Now();
            await ExecuteAsync(connection, transaction, """
                INSERT INTO artifacts (id, trial_id, attempt, kind, name, sha256, size, content, created_at)
                VALUES (@id, @trial, @attempt, @kind, @name, @sha, @size, @content, @now)
                ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, content = excluded.content, created_at = excluded.created_at
                """, cancellationToken,
                ("@id", id), ("@trial", upload.TrialId), ("@attempt", upload.Attempt), ("@kind", upload.Kind), ("@name", upload.Name),
                ("@sha", sha256), ("@size", (long)content.Length), ("@content", content), ("@now", now));
            if (string.Equals(upload.Kind, ArtifactKinds.Checkpoint, StringComparison.Ordinal))
            {
                await ExecuteAsync(connection, transaction, "UPDATE trials SET last_checkpoint_artifact_id = @id, updated_at = @now WHERE id = @trial",
                    cancellationToken, ("@id", id), ("@now", now), ("@trial", upload.TrialId));
                await InsertEventAsync(connection, transaction, new NewEvent(trial.Snapshot.SweepId, upload.TrialId, upload.Attempt, "checkpoint.stored",
                    $"checkpoint {id} stored ({content.Length} bytes)"), now, cancellationToken);
            }

            return Outcome<ArtifactInfo>.Accepted(new ArtifactInfo(id, upload.TrialId, upload.Attempt, upload.Kind, upload.Name, sha256,
                content.Length, FromMilliseconds(now)));
        }, cancellationToken);
    }

    public Task AppendEventAsync(NewEvent entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _dialect.WriteAsync(async (connection, transaction) =>
        {
            await InsertEventAsync(connection, transaction, entry, Now(), cancellationToken);
            return 0;
        }, cancellationToken);
    }

    private static async Task<SqlTrialStore> OpenAsync(StoreDialect dialect, TimeProvider time, CancellationToken cancellationToken)
    {
        var store = new SqlTrialStore(dialect, time);
        try
        {
            var scripts = SchemaMigrator.LoadScripts(dialect.MigrationsFolder);
            await dialect.WriteAsync(async (connection, transaction) =>
            {
                await dialect.LockForMigrationAsync(connection, transaction, cancellationToken);
                return await SchemaMigrator.ApplyAsync(connection, transaction, scripts, time.GetUtcNow(), cancellationToken);
            }, cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Derived from what names the artifact, so a retried upload lands on the same row (the same id in every dialect).</summary>
    private static string ArtifactId(ArtifactUpload upload)
    {
        var key = string.Join('\0', upload.TrialId, upload.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), upload.Kind, upload.Name);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }

    /// <summary>The trial row, its attempt row and the event, sent as one batch where the provider batches: one round trip, not three.</summary>
    private static Task WriteChangeAsync(DbConnection connection, DbTransaction transaction, TrialChange change, long now,
        CancellationToken cancellationToken)
    {
        var trial = change.Next;
        var statements = new List<SqlStatement>(3)
        {
            new("""
                UPDATE trials SET state = @state, current_attempt = @attempt, pending_reason = @reason, summary_json = @summary,
                    last_checkpoint_artifact_id = @checkpoint, removed_in_revision = @removed, cancelled_by_removal = @cancelled_by_removal, updated_at = @now,
                    stop_reason = @stop_reason
                WHERE id = @id
                """,
                [("@state", Lower(trial.State)), ("@attempt", trial.CurrentAttempt), ("@reason", trial.PendingReason), ("@summary", trial.SummaryJson),
                    ("@checkpoint", trial.LastCheckpointArtifactId), ("@removed", trial.RemovedInRevision), ("@cancelled_by_removal", trial.CancelledByRemoval),
                    ("@now", now), ("@id", trial.Id), ("@stop_reason", trial.StopReason)]),
        };
        if (trial.Attempt is { } a)
        {
            statements.Add(new("""
                INSERT INTO attempts (trial_id, number, silo_id, slot_ids_json, state, started_at, ended_at, error,
                    progress_step, progress_total_steps, progress_epoch)
                VALUES (@trial, @number, @silo, @slots, @state, @started, @ended, @error, @step, @total, @epoch)
                ON CONFLICT (trial_id, number) DO UPDATE SET silo_id = excluded.silo_id, slot_ids_json = excluded.slot_ids_json,
                    state = excluded.state, started_at = excluded.started_at, ended_at = excluded.ended_at, error = excluded.error,
                    progress_step = excluded.progress_step, progress_total_steps = excluded.progress_total_steps, progress_epoch = excluded.progress_epoch
                """,
                [("@trial", trial.Id), ("@number", a.Number), ("@silo", a.SiloId), ("@slots", ToJson(a.SlotIds)), ("@state", Lower(a.State)),
                    ("@started", a.StartedAt.ToUnixTimeMilliseconds()), ("@ended", a.EndedAt?.ToUnixTimeMilliseconds()), ("@error", a.Error),
                    ("@step", a.Progress?.Step), ("@total", a.Progress?.TotalSteps), ("@epoch", a.Progress?.Epoch)]));
        }

        statements.Add(InsertEvent(new NewEvent(trial.SweepId, trial.Id, trial.Attempt?.Number, change.EventKind, change.EventMessage), now));
        return ExecuteBatchAsync(connection, transaction, statements, cancellationToken);
    }

    private static SqlStatement InsertEvent(NewEvent entry, long now) =>
        new("INSERT INTO events (at, sweep_id, trial_id, attempt, kind, message) VALUES (@at, @sweep, @trial, @attempt, @kind, @message)",
            [("@at", now), ("@sweep", entry.SweepId), ("@trial", entry.TrialId), ("@attempt", entry.Attempt), ("@kind", entry.Kind), ("@message", entry.Message)]);

    private static Task<int> InsertEventAsync(DbConnection connection, DbTransaction transaction, NewEvent entry, long now,
        CancellationToken cancellationToken)
    {
        var statement = InsertEvent(entry, now);
        return ExecuteAsync(connection, transaction, statement.Sql, cancellationToken, [.. statement.Parameters]);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
