using System.Data;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Polly;
using Polly.Retry;
using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// The cluster store: PostgreSQL through Npgsql, for several coordinators (or claimers) sharing one database.
/// </summary>
/// <remarks>
/// <para>Every method is one READ COMMITTED transaction. Decisions are made on locked rows: a claim
/// locks the pending trials it is offered with <c>SELECT ... FOR UPDATE SKIP LOCKED</c>, so two
/// concurrent claims never see the same trial (the second one is offered only the trials nobody is
/// deciding on, and never waits); a transition locks its trial with <c>FOR UPDATE</c>; metric writes
/// hold a <c>FOR SHARE</c> lock so no transition can end the attempt between the guard and the write.
/// The lock is taken by a statement of its own and the rows are read by the next statement, whose
/// snapshot then includes whatever the previous lock holder committed (attempt rows included).</para>
/// <para>Transient errors (connection refused or lost, server restarting, deadlock, serialization
/// failure) retry the whole transaction, decision functions included, as <see cref="PostgresStoreOptions"/>
/// describes; so a PostgreSQL restart shorter than the retry budget is invisible to callers. A connection
/// lost while COMMIT was in flight leaves it unknown whether the write committed; the retry then runs
/// against the committed state: submits, metric points and artifacts are idempotent, a repeated
/// Complete or Fail is acknowledged unchanged, but a repeated event append may log the event twice and
/// a repeated claim may lease further trials whose leases then simply expire.</para>
/// <para>Event ids come from an identity column: they grow with time, but two transactions committing
/// out of order may make a smaller id visible after a larger one.</para>
/// </remarks>
public sealed partial class PostgresTrialStore : ITrialStore
{
    private const string Dialect = "Postgres";

    // Any constant shared by every SweepCluster process: serialises concurrent migrations of one database.
    private const long MigrationLockKey = 0x5357_4545_5043_4c31;

    private static readonly ResiliencePropertyKey<long> StartedAtKey = new("sweepcluster.store.started");

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;

    private PostgresTrialStore(NpgsqlDataSource dataSource, TimeProvider time, PostgresStoreOptions options)
    {
        _dataSource = dataSource;
        _time = time;
        _pipeline = BuildPipeline(options, dataSource);
    }

    /// <summary>
    /// Connects to the database named by <paramref name="connectionString"/> (an Npgsql
    /// <c>Host=...;Database=...</c> string or a <c>postgres://user:password@host:port/database</c> URL)
    /// and applies pending migrations. Opening also retries transient errors, so a coordinator may start
    /// before its database does.
    /// </summary>
    public static async Task<PostgresTrialStore> OpenAsync(string connectionString, TimeProvider time, PostgresStoreOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionString.Normalize(connectionString));
        if (!builder.ConnectionStringBuilder.ContainsKey("Max Auto Prepare"))
        {
            // The same few statements run for every claim, heartbeat and completion: prepared once per connection,
            // they skip parsing and planning. (Behind a transaction-mode pooler, set Max Auto Prepare=0 in the URL.)
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        var store = new PostgresTrialStore(builder.Build(), time, options ?? PostgresStoreOptions.Default);
        try
        {
            var scripts = SchemaMigrator.LoadScripts(Dialect);
            await store.WriteAsync(async (connection, transaction) =>
            {
                await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("@key", MigrationLockKey));
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

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public Task<SubmitResult> SubmitSweepAsync(string sweepId, IReadOnlyList<string> trialIds, Func<SweepRecord?, IReadOnlyList<TrialRecord>, SubmitPlan> plan,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trialIds);
        ArgumentNullException.ThrowIfNull(plan);
        return WriteAsync(async (connection, transaction) =>
        {
            var now = Now();
            while (true)
            {
                // The sweep row first, then its trials in one fixed order (as a cancel locks them): a second submission of
                // the sweep waits here until this one commits, and then decides on what it wrote.
                var stored = (await ReadSweepsAsync(connection, transaction, "WHERE s.id = @id FOR UPDATE OF s", cancellationToken, ("@id", sweepId)))
                    .FirstOrDefault();
                var ids = stored is null
                    ? []
                    : await ReadIdsAsync(connection, transaction, "SELECT t.id FROM trials t WHERE t.sweep_id = @sweep ORDER BY t.order_index, t.id FOR UPDATE OF t",
                        cancellationToken, ("@sweep", sweepId));
                var own = ids.Count == 0
                    ? []
                    : await ReadTrialsAsync(connection, transaction, $"{SelectTrials} WHERE t.id = ANY(@ids) ORDER BY t.order_index, t.id",
                        cancellationToken, ("@ids", ids.ToArray()));
                // Other sweeps' trials are only looked at, not changed: no lock.
                var elsewhere = await ReadTrialsAsync(connection, transaction, $"{SelectTrials} WHERE t.id = ANY(@ids) AND t.sweep_id <> @sweep",
                    cancellationToken, ("@ids", trialIds.ToArray()), ("@sweep", sweepId));
                IReadOnlyList<TrialRecord> trials = [.. own, .. elsewhere];
                var decided = plan(stored, trials);
                decided.Check(sweepId, stored, trials);
                if (decided.Sweep is { } sweep)
                {
                    var written = await ExecuteAsync(connection, transaction, stored is null
                        ? """
                            INSERT INTO sweeps (id, name, description, question, objective_metric, objective_goal, sweep_text, created_at, submitted_at, revision)
                            VALUES (@id, @name, @description, @question, @metric, @goal, @text, @created, @now, @revision)
                            ON CONFLICT (id) DO NOTHING
                            """
                        : """
                            UPDATE sweeps SET name = @name, description = @description, question = @question, objective_metric = @metric,
                                objective_goal = @goal, sweep_text = @text, revision = @revision
                            WHERE id = @id
                            """, cancellationToken,
                        ("@id", sweepId), ("@name", sweep.Name), ("@description", sweep.Description), ("@question", sweep.Question),
                        ("@metric", sweep.ObjectiveMetric), ("@goal", Lower(sweep.ObjectiveGoal)), ("@text", sweep.SweepText),
                        ("@created", sweep.CreatedAt.ToUnixTimeMilliseconds()), ("@now", now), ("@revision", decided.Revision));
                    if (written == 0)
                    {
                        // A concurrent first submission of the sweep committed it after this one read nothing: decide again.
                        continue;
                    }
                }

                foreach (var trial in decided.NewTrials)
                {
                    // A trial id another sweep already holds stays that sweep's.
                    await ExecuteAsync(connection, transaction, """
                        INSERT INTO trials (id, sweep_id, config_name, config_key, seed, parameters_json, expect, expected_verdict, config_json,
                            gpus, gpu_memory_gib, labels_json, max_attempts, priority, order_index, submitted_at,
                            state, current_attempt, pending_reason, updated_at)
                        VALUES (@id, @sweep, @config_name, @config_key, @seed, @parameters, @expect, @verdict, @config,
                            @gpus, @memory, @labels, @max_attempts, @priority, @order, @now,
                            'pending', 0, @reason, @now)
                        ON CONFLICT (id) DO NOTHING
                        """, cancellationToken,
                        [("@sweep", sweepId), ("@now", now), ("@reason", decided.PendingReason), .. DefinitionParameters(trial)]);
                }

                foreach (var trial in decided.Redefined)
                {
                    await ExecuteAsync(connection, transaction, """
                        UPDATE trials SET config_name = @config_name, config_key = @config_key, seed = @seed, parameters_json = @parameters,
                            expect = @expect, expected_verdict = @verdict, config_json = @config, gpus = @gpus, gpu_memory_gib = @memory,
                            labels_json = @labels, max_attempts = @max_attempts, priority = @priority, order_index = @order, updated_at = @now
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

    public Task UpsertSiloAsync(SiloInfo silo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return WriteAsync(async (connection, transaction) =>
        {
            var now = Now();
            await ExecuteAsync(connection, transaction, """
                INSERT INTO silos (id, name, labels_json, slots_json, registered_at, last_heartbeat_at)
                VALUES (@id, @name, @labels, @slots, @now, @now)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, labels_json = excluded.labels_json,
                    slots_json = excluded.slots_json, last_heartbeat_at = excluded.last_heartbeat_at
                """, cancellationToken,
                ("@id", silo.Id), ("@name", silo.Name), ("@labels", ToJson(silo.Labels)), ("@slots", ToJson(silo.Slots)), ("@now", now));
            await InsertEventAsync(connection, transaction, new NewEvent(null, null, null, "silo.registered",
                $"silo {silo.Id} ({silo.Name}) registered with {silo.Slots.Count} slot(s)"), now, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    public Task<bool> TouchSiloAsync(string siloId, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await ExecuteAsync(connection, transaction, "UPDATE silos SET last_heartbeat_at = @now WHERE id = @id", cancellationToken,
                ("@now", Now()), ("@id", siloId)) == 1,
            cancellationToken);

    public Task<IReadOnlyList<TrialSnapshot>> ClaimAsync(int slots, Func<IReadOnlyList<TrialSnapshot>, ClaimPlan> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return WriteAsync<IReadOnlyList<TrialSnapshot>>(async (connection, transaction) =>
        {
            // SKIP LOCKED: trials another claimer is deciding on right now are not offered here, and this
            // claim does not wait for that one to finish. The head of the queue first, widening while nothing in
            // it fits (see ClaimWindows): locking a row writes to it, and locking every pending row would make
            // each claim cost O(queue) and concurrent claims skip all of them and come back empty.
            // One round trip per window: the rows are locked (only the trial rows: OF t) as they are read. Rows
            // locked by a narrower window stay locked and come again in the wider one.
            var (pending, decided) = await ClaimWindows.DecideAsync(slots, async window =>
                [.. (await ReadTrialsAsync(connection, transaction,
                    $"{SelectTrials} WHERE t.state = 'pending' {QueueOrder} {(window is { } n ? $"LIMIT {n}" : string.Empty)} FOR UPDATE OF t SKIP LOCKED", cancellationToken))
                    .Select(t => t.Snapshot)], plan);

            var byId = pending.ToDictionary(t => t.Id, StringComparer.Ordinal);
            var now = Now();
            var leased = new List<TrialSnapshot>();
            foreach (var change in decided.Leases)
            {
                if (!byId.Remove(change.Next.Id))
                {
                    throw new InvalidOperationException($"The claim plan leased trial {change.Next.Id}, which was not pending or was leased twice.");
                }

                await WriteChangeAsync(connection, transaction, change, now, cancellationToken);
                leased.Add(change.Next);
            }

            // Only rewrite reasons that changed (a silo polling every few seconds should not rewrite every pending
            // row), and all of them in one statement: one round trip per claim, not one per trial.
            var changed = decided.PendingReasons
                .Where(p => byId.TryGetValue(p.Key, out var trial) && !string.Equals(trial.PendingReason, p.Value, StringComparison.Ordinal))
                .ToList();
            if (changed.Count > 0)
            {
                await ExecuteAsync(connection, transaction,
                    "UPDATE trials SET pending_reason = v.reason FROM unnest(@ids, @reasons) AS v(id, reason) WHERE trials.id = v.id AND trials.state = 'pending'",
                    cancellationToken, ("@ids", changed.Select(p => p.Key).ToArray()), ("@reasons", changed.Select(p => p.Value).ToArray()));
            }

            return leased;
        }, cancellationToken);
    }

    public Task<Outcome<TrialChange>> UpdateTrialAsync(string trialId, Func<TrialSnapshot, Outcome<TrialChange>> transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return WriteAsync(async (connection, transaction) =>
        {
            var trial = await LockAndReadTrialAsync(connection, transaction, trialId, "UPDATE", cancellationToken);
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
        return WriteAsync(async (connection, transaction) =>
        {
            var now = Now();
            var found = await ExecuteAsync(connection, transaction, "UPDATE sweeps SET cancelled_at = COALESCE(cancelled_at, @now) WHERE id = @id",
                cancellationToken, ("@now", now), ("@id", sweepId));
            if (found == 0)
            {
                return Outcome<IReadOnlyList<TrialChange>>.Refused(Refusal.NotFound($"Sweep {sweepId} does not exist."));
            }

            // Locked in one fixed order, so two cancels or a cancel and a claim cannot deadlock on each other.
            var ids = await ReadIdsAsync(connection, transaction,
                "SELECT t.id FROM trials t WHERE t.sweep_id = @sweep AND t.state IN ('pending', 'leased', 'running') ORDER BY t.order_index, t.id FOR UPDATE OF t",
                cancellationToken, ("@sweep", sweepId));
            var open = ids.Count == 0
                ? []
                : await ReadTrialsAsync(connection, transaction,
                    $"{SelectTrials} WHERE t.id = ANY(@ids) AND t.state IN ('pending', 'leased', 'running') ORDER BY t.order_index, t.id",
                    cancellationToken, ("@ids", ids.ToArray()));
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
        return WriteAsync(async (connection, transaction) =>
        {
            // FOR SHARE: batches of one attempt do not wait for each other, but no transition can end the
            // attempt between the guard's check and the insert.
            var trial = await LockAndReadTrialAsync(connection, transaction, trialId, "SHARE", cancellationToken);
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
                    ("@value", point.Value), ("@epoch", point.Epoch), ("@kind", point.Kind), ("@now", now));
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
        return WriteAsync(async (connection, transaction) =>
        {
            // FOR UPDATE, not SHARE: a checkpoint rewrites the trial row, and upgrading a shared lock
            // held by two uploads at once would deadlock.
            var trial = await LockAndReadTrialAsync(connection, transaction, upload.TrialId, "UPDATE", cancellationToken);
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
        return WriteAsync(async (connection, transaction) =>
        {
            await InsertEventAsync(connection, transaction, entry, Now(), cancellationToken);
            return 0;
        }, cancellationToken);
    }

    /// <summary>Derived from what names the artifact, so a retried upload lands on the same row (the same ids as on SQLite).</summary>
    private static string ArtifactId(ArtifactUpload upload)
    {
        var key = string.Join('\0', upload.TrialId, upload.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), upload.Kind, upload.Name);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }

    private static ResiliencePipeline BuildPipeline(PostgresStoreOptions options, NpgsqlDataSource dataSource)
    {
        if (options.RetryBudget <= TimeSpan.Zero)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } error
                    && PostgresTransientErrors.IsTransient(error)
                    && args.Context.Properties.TryGetValue(StartedAtKey, out var started)
                    && Stopwatch.GetElapsedTime(started) < options.RetryBudget),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = args =>
                {
                    if (PostgresTransientErrors.IsConnectionFailure(args.Outcome.Exception))
                    {
                        // The server went away: every idle pooled connection is dead too; do not try them one by one.
                        dataSource.Clear();
                    }

                    options.OnRetry?.Invoke(new PostgresRetryNotice(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception!));
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Runs <paramref name="work"/> with the retry policy; each try gets a fresh connection.</summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(StartedAtKey, Stopwatch.GetTimestamp());
        try
        {
            return await _pipeline.ExecuteAsync(static async (ctx, state) => await state(ctx.CancellationToken), context, work);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(token);
            return result;
        }, cancellationToken);

    private Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(token);
            return await read(connection);
        }, cancellationToken);

    /// <summary>The trial row, its attempt row and the event, sent as one batch: one round trip, not three.</summary>
    private static async Task WriteChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TrialChange change, long now, CancellationToken cancellationToken)
    {
        var trial = change.Next;
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(BatchCommand("""
            UPDATE trials SET state = @state, current_attempt = @attempt, pending_reason = @reason, summary_json = @summary,
                last_checkpoint_artifact_id = @checkpoint, removed_in_revision = @removed, cancelled_by_removal = @cancelled_by_removal, updated_at = @now
            WHERE id = @id
            """,
            ("@state", Lower(trial.State)), ("@attempt", trial.CurrentAttempt), ("@reason", trial.PendingReason), ("@summary", trial.SummaryJson),
            ("@checkpoint", trial.LastCheckpointArtifactId), ("@removed", trial.RemovedInRevision), ("@cancelled_by_removal", trial.CancelledByRemoval),
            ("@now", now), ("@id", trial.Id)));
        if (trial.Attempt is { } a)
        {
            batch.BatchCommands.Add(BatchCommand("""
                INSERT INTO attempts (trial_id, number, silo_id, slot_ids_json, state, lease_expires_at, started_at, ended_at, error,
                    progress_step, progress_total_steps, progress_epoch)
                VALUES (@trial, @number, @silo, @slots, @state, @lease, @started, @ended, @error, @step, @total, @epoch)
                ON CONFLICT (trial_id, number) DO UPDATE SET silo_id = excluded.silo_id, slot_ids_json = excluded.slot_ids_json,
                    state = excluded.state, lease_expires_at = excluded.lease_expires_at, started_at = excluded.started_at,
                    ended_at = excluded.ended_at, error = excluded.error, progress_step = excluded.progress_step,
                    progress_total_steps = excluded.progress_total_steps, progress_epoch = excluded.progress_epoch
                """,
                ("@trial", trial.Id), ("@number", a.Number), ("@silo", a.SiloId), ("@slots", ToJson(a.SlotIds)), ("@state", Lower(a.State)),
                ("@lease", a.LeaseExpiresAt.ToUnixTimeMilliseconds()), ("@started", a.StartedAt.ToUnixTimeMilliseconds()),
                ("@ended", a.EndedAt?.ToUnixTimeMilliseconds()), ("@error", a.Error), ("@step", a.Progress?.Step),
                ("@total", a.Progress?.TotalSteps), ("@epoch", a.Progress?.Epoch)));
        }

        batch.BatchCommands.Add(BatchCommand(InsertEventSql,
            ("@at", now), ("@sweep", trial.SweepId), ("@trial", trial.Id), ("@attempt", trial.Attempt?.Number), ("@kind", change.EventKind), ("@message", change.EventMessage)));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string InsertEventSql = """
        INSERT INTO events (at, sweep_id, trial_id, attempt, kind, message) VALUES (@at, @sweep, @trial, @attempt, @kind, @message)
        """;

    private static Task<int> InsertEventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NewEvent entry, long now, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, InsertEventSql, cancellationToken,
            ("@at", now), ("@sweep", entry.SweepId), ("@trial", entry.TrialId), ("@attempt", entry.Attempt), ("@kind", entry.Kind), ("@message", entry.Message));

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
