using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// The embedded store: one SQLite database file in WAL mode with <c>synchronous=FULL</c>, so every
/// committed write is on disk before the call returns.
/// </summary>
/// <remarks>
/// Writes go through one writer per store instance, which commits them in groups: every write
/// queued while the previous commit was on its way to disk runs next, one after another, each
/// inside its own savepoint of one shared <c>BEGIN IMMEDIATE</c> transaction, and the group is
/// committed (and synced) once. A write that throws is rolled back to its savepoint and fails
/// alone; no write is acknowledged before the commit that holds it returns, so the durability of
/// each acknowledged write is unchanged while many concurrent writers share one sync. The writes of
/// a group run in order and each sees the ones before it, exactly as if they ran one by one.
/// <c>BEGIN IMMEDIATE</c> takes SQLite's single write lock before the first read, so a
/// read-decide-write (a claim) can never interleave with another writer, even from another
/// process. Readers use WAL snapshots and never wait for writers. Artifact bytes are stored in the database as BLOBs; artifact names never
/// reach the file system.
/// </remarks>
public sealed partial class SqliteTrialStore : ITrialStore
{
    private const string Dialect = "Sqlite";

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    /// <summary>The most writes one commit holds.</summary>
    private const int MaxGroup = 128;

    private readonly Channel<IQueuedWrite> _writes = Channel.CreateUnbounded<IQueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    private SqliteTrialStore(string connectionString, TimeProvider time)
    {
        _connectionString = connectionString;
        _time = time;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>One caller's write, waiting in the queue for the writer.</summary>
    private interface IQueuedWrite
    {
        CancellationToken CancellationToken { get; }

        /// <summary>Runs the work inside the group's transaction; its result is held back until <see cref="Acknowledge"/>.</summary>
        Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        /// <summary>The commit holding this write returned: hand the caller its result.</summary>
        void Acknowledge();

        void Fail(Exception exception);
    }

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/> and applies pending migrations.</summary>
    public static async Task<SqliteTrialStore> OpenAsync(string databasePath, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(time);
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
        var store = new SqliteTrialStore(connectionString, time);
        try
        {
            await using (var connection = await store.OpenConnectionAsync(cancellationToken))
            {
                // WAL is a property of the database file: set once, it stays.
                await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
            }

            var scripts = SchemaMigrator.LoadScripts(Dialect);
            await store.WriteAsync((connection, transaction) => SchemaMigrator.ApplyAsync(connection, transaction, scripts, time.GetUtcNow(), cancellationToken), cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Writes already queued are still committed; later ones are refused.
        _writes.Writer.TryComplete();
        await _writer;
        // Pooled connections would keep the file (and its WAL) open after the store is gone.
        await using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public Task<SubmitResult> SubmitSweepAsync(string sweepId, IReadOnlyList<string> trialIds, Func<SweepRecord?, IReadOnlyList<TrialRecord>, SubmitPlan> plan,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trialIds);
        ArgumentNullException.ThrowIfNull(plan);
        return WriteAsync(async (connection, transaction) =>
        {
            // The write lock is held from the first read (BEGIN IMMEDIATE): nothing changes between reading and writing.
            var stored = (await ReadSweepsAsync(connection, transaction, "WHERE s.id = $id", cancellationToken, ("$id", sweepId))).FirstOrDefault();
            var trials = await ReadTrialsAsync(connection, transaction,
                $"{SelectTrials} WHERE t.sweep_id = $sweep OR t.id IN (SELECT value FROM json_each($ids)) ORDER BY t.order_index, t.id",
                cancellationToken, ("$sweep", sweepId), ("$ids", ToJson(trialIds)));
            var decided = plan(stored, trials);
            decided.Check(sweepId, stored, trials);
            var now = Now();
            if (decided.Sweep is { } sweep)
            {
                await ExecuteAsync(connection, transaction, stored is null
                    ? """
                        INSERT INTO sweeps (id, name, description, question, objective_metric, objective_goal, sweep_text, created_at, submitted_at, revision)
                        VALUES ($id, $name, $description, $question, $metric, $goal, $text, $created, $now, $revision)
                        """
                    : """
                        UPDATE sweeps SET name = $name, description = $description, question = $question, objective_metric = $metric,
                            objective_goal = $goal, sweep_text = $text, revision = $revision
                        WHERE id = $id
                        """, cancellationToken,
                    ("$id", sweepId), ("$name", sweep.Name), ("$description", sweep.Description), ("$question", sweep.Question),
                    ("$metric", sweep.ObjectiveMetric), ("$goal", Lower(sweep.ObjectiveGoal)), ("$text", sweep.SweepText),
                    ("$created", sweep.CreatedAt.ToUnixTimeMilliseconds()), ("$now", now), ("$revision", decided.Revision));
            }

            foreach (var trial in decided.NewTrials)
            {
                // A trial id another sweep already holds stays that sweep's.
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO trials (id, sweep_id, config_name, config_key, seed, parameters_json, expect, expected_verdict, config_json,
                        gpus, gpu_memory_gib, labels_json, max_attempts, priority, order_index, submitted_at,
                        state, current_attempt, pending_reason, updated_at)
                    VALUES ($id, $sweep, $config_name, $config_key, $seed, $parameters, $expect, $verdict, $config,
                        $gpus, $memory, $labels, $max_attempts, $priority, $order, $now,
                        'pending', 0, $reason, $now)
                    ON CONFLICT (id) DO NOTHING
                    """, cancellationToken,
                    [("$sweep", sweepId), ("$now", now), ("$reason", decided.PendingReason), .. DefinitionParameters(trial)]);
            }

            foreach (var trial in decided.Redefined)
            {
                await ExecuteAsync(connection, transaction, """
                    UPDATE trials SET config_name = $config_name, config_key = $config_key, seed = $seed, parameters_json = $parameters,
                        expect = $expect, expected_verdict = $verdict, config_json = $config, gpus = $gpus, gpu_memory_gib = $memory,
                        labels_json = $labels, max_attempts = $max_attempts, priority = $priority, order_index = $order, updated_at = $now
                    WHERE id = $id
                    """, cancellationToken,
                    [("$now", now), .. DefinitionParameters(trial)]);
            }

            foreach (var change in decided.Changes)
            {
                await WriteChangeAsync(connection, transaction, change, now, cancellationToken);
            }

            await InsertEventAsync(connection, transaction, new NewEvent(sweepId, null, null, decided.EventKind, decided.EventMessage), now, cancellationToken);
            return decided.Result;
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
                VALUES ($id, $name, $labels, $slots, $now, $now)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, labels_json = excluded.labels_json,
                    slots_json = excluded.slots_json, last_heartbeat_at = excluded.last_heartbeat_at
                """, cancellationToken,
                ("$id", silo.Id), ("$name", silo.Name), ("$labels", ToJson(silo.Labels)), ("$slots", ToJson(silo.Slots)), ("$now", now));
            await InsertEventAsync(connection, transaction, new NewEvent(null, null, null, "silo.registered",
                $"silo {silo.Id} ({silo.Name}) registered with {silo.Slots.Count} slot(s)"), now, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    public Task<bool> TouchSiloAsync(string siloId, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
            await ExecuteAsync(connection, transaction, "UPDATE silos SET last_heartbeat_at = $now WHERE id = $id", cancellationToken,
                ("$now", Now()), ("$id", siloId)) == 1,
            cancellationToken);

    public Task<IReadOnlyList<TrialSnapshot>> ClaimAsync(int slots, Func<IReadOnlyList<TrialSnapshot>, ClaimPlan> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return WriteAsync<IReadOnlyList<TrialSnapshot>>(async (connection, transaction) =>
        {
            // The head of the queue first, widening while nothing in it fits (see ClaimWindows): reading every
            // pending row made each claim cost O(queue). Pending reasons beyond the window stay as they were.
            var (pending, decided) = await ClaimWindows.DecideAsync(slots, async window =>
                [.. (await ReadTrialsAsync(connection, transaction, $"{SelectTrials} WHERE t.state = 'pending' {QueueOrder} {(window is { } n ? $"LIMIT {n}" : string.Empty)}", cancellationToken))
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

            foreach (var (trialId, reason) in decided.PendingReasons)
            {
                // Only rewrite reasons that changed: a silo polling every few seconds should not rewrite every pending row.
                if (byId.TryGetValue(trialId, out var trial) && !string.Equals(trial.PendingReason, reason, StringComparison.Ordinal))
                {
                    await ExecuteAsync(connection, transaction, "UPDATE trials SET pending_reason = $reason WHERE id = $id AND state = 'pending'",
                        cancellationToken, ("$reason", reason), ("$id", trialId));
                }
            }

            return leased;
        }, cancellationToken);
    }

    public Task<Outcome<TrialChange>> UpdateTrialAsync(string trialId, Func<TrialSnapshot, Outcome<TrialChange>> transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        return WriteAsync(async (connection, transaction) =>
        {
            var trial = await ReadTrialAsync(connection, transaction, trialId, cancellationToken);
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
            var found = await ExecuteAsync(connection, transaction, "UPDATE sweeps SET cancelled_at = COALESCE(cancelled_at, $now) WHERE id = $id",
                cancellationToken, ("$now", now), ("$id", sweepId));
            if (found == 0)
            {
                return Outcome<IReadOnlyList<TrialChange>>.Refused(Refusal.NotFound($"Sweep {sweepId} does not exist."));
            }

            var open = await ReadTrialsAsync(connection, transaction,
                $"{SelectTrials} WHERE t.sweep_id = $sweep AND t.state IN ('pending', 'leased', 'running') ORDER BY t.order_index, t.id",
                cancellationToken, ("$sweep", sweepId));
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
            var trial = await ReadTrialAsync(connection, transaction, trialId, cancellationToken);
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
                    VALUES ($trial, $attempt, $step, $name, $value, $epoch, $kind, $now)
                    ON CONFLICT (trial_id, attempt, step, name) DO NOTHING
                    """, cancellationToken,
                    ("$trial", trialId), ("$attempt", attempt), ("$step", point.Step), ("$name", point.Name),
                    ("$value", double.IsNaN(point.Value) ? null : point.Value), ("$epoch", point.Epoch), ("$kind", point.Kind), ("$now", now));
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
        return WriteAsync(async (connection, transaction) =>
        {
            var trial = await ReadTrialAsync(connection, transaction, upload.TrialId, cancellationToken);
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
                VALUES ($id, $trial, $attempt, $kind, $name, $sha, $size, $content, $now)
                ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, content = excluded.content, created_at = excluded.created_at
                """, cancellationToken,
                ("$id", id), ("$trial", upload.TrialId), ("$attempt", upload.Attempt), ("$kind", upload.Kind), ("$name", upload.Name),
                ("$sha", sha256), ("$size", (long)upload.Content.Length), ("$content", upload.Content.ToArray()), ("$now", now));
            if (string.Equals(upload.Kind, ArtifactKinds.Checkpoint, StringComparison.Ordinal))
            {
                await ExecuteAsync(connection, transaction, "UPDATE trials SET last_checkpoint_artifact_id = $id, updated_at = $now WHERE id = $trial",
                    cancellationToken, ("$id", id), ("$now", now), ("$trial", upload.TrialId));
                await InsertEventAsync(connection, transaction, new NewEvent(trial.Snapshot.SweepId, upload.TrialId, upload.Attempt, "checkpoint.stored",
                    $"checkpoint {id} stored ({upload.Content.Length} bytes)"), now, cancellationToken);
            }

            return Outcome<ArtifactInfo>.Accepted(new ArtifactInfo(id, upload.TrialId, upload.Attempt, upload.Kind, upload.Name, sha256,
                upload.Content.Length, FromMilliseconds(now)));
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

    /// <summary>Derived from what names the artifact, so a retried upload lands on the same row.</summary>
    private static string ArtifactId(ArtifactUpload upload)
    {
        var key = string.Join('\0', upload.TrialId, upload.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), upload.Kind, upload.Name);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new QueuedWrite<T>(work, cancellationToken);
        if (!_writes.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteTrialStore));
        }

        return await write.Result;
    }

    /// <summary>The one writer: takes what is queued, runs it as one transaction of savepoints, commits once, acknowledges.</summary>
    private async Task WriteLoopAsync()
    {
        var group = new List<IQueuedWrite>(MaxGroup);
        while (await _writes.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _writes.Reader.TryRead(out var queued))
            {
                if (queued.CancellationToken.IsCancellationRequested)
                {
                    queued.Fail(new OperationCanceledException(queued.CancellationToken));
                }
                else
                {
                    group.Add(queued);
                }
            }

            if (group.Count > 0)
            {
                await CommitGroupAsync(group);
            }
        }
    }

    private async Task CommitGroupAsync(List<IQueuedWrite> group)
    {
        var ran = new List<IQueuedWrite>(group.Count);
        try
        {
            await using var connection = await OpenConnectionAsync(CancellationToken.None);
            // deferred: false is BEGIN IMMEDIATE: the database write lock is taken before the first read.
            await using var transaction = connection.BeginTransaction(deferred: false);
            if (group.Count == 1)
            {
                // Alone: no savepoint; if it throws, the transaction is rolled back whole.
                await group[0].RunAsync(connection, transaction);
                ran.Add(group[0]);
            }
            else
            {
                foreach (var write in group)
                {
                    transaction.Save("w");
                    try
                    {
                        await write.RunAsync(connection, transaction);
                        transaction.Release("w");
                        ran.Add(write);
                    }
                    catch (Exception exception) when (exception is not SqliteException { SqliteErrorCode: 10 or 13 })
                    {
                        // Undo this write only; the others of the group go on. (An I/O error or a full disk, codes 10
                        // and 13, may have rolled the whole transaction back: those fail the group below.)
                        transaction.Rollback("w");
                        transaction.Release("w");
                        write.Fail(exception);
                    }
                }
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            foreach (var write in group)
            {
                write.Fail(exception);
            }

            return;
        }

        foreach (var write in ran)
        {
            write.Acknowledge();
        }
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, null, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task WriteChangeAsync(SqliteConnection connection, SqliteTransaction transaction, TrialChange change, long now, CancellationToken cancellationToken)
    {
        var trial = change.Next;
        await ExecuteAsync(connection, transaction, """
            UPDATE trials SET state = $state, current_attempt = $attempt, pending_reason = $reason, summary_json = $summary,
                last_checkpoint_artifact_id = $checkpoint, removed_in_revision = $removed, cancelled_by_removal = $cancelled_by_removal, updated_at = $now
            WHERE id = $id
            """, cancellationToken,
            ("$state", Lower(trial.State)), ("$attempt", trial.CurrentAttempt), ("$reason", trial.PendingReason), ("$summary", trial.SummaryJson),
            ("$checkpoint", trial.LastCheckpointArtifactId), ("$removed", trial.RemovedInRevision), ("$cancelled_by_removal", trial.CancelledByRemoval),
            ("$now", now), ("$id", trial.Id));
        if (trial.Attempt is { } a)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO attempts (trial_id, number, silo_id, slot_ids_json, state, lease_expires_at, started_at, ended_at, error,
                    progress_step, progress_total_steps, progress_epoch)
                VALUES ($trial, $number, $silo, $slots, $state, $lease, $started, $ended, $error, $step, $total, $epoch)
                ON CONFLICT (trial_id, number) DO UPDATE SET silo_id = excluded.silo_id, slot_ids_json = excluded.slot_ids_json,
                    state = excluded.state, lease_expires_at = excluded.lease_expires_at, started_at = excluded.started_at,
                    ended_at = excluded.ended_at, error = excluded.error, progress_step = excluded.progress_step,
                    progress_total_steps = excluded.progress_total_steps, progress_epoch = excluded.progress_epoch
                """, cancellationToken,
                ("$trial", trial.Id), ("$number", a.Number), ("$silo", a.SiloId), ("$slots", ToJson(a.SlotIds)), ("$state", Lower(a.State)),
                ("$lease", a.LeaseExpiresAt.ToUnixTimeMilliseconds()), ("$started", a.StartedAt.ToUnixTimeMilliseconds()),
                ("$ended", a.EndedAt?.ToUnixTimeMilliseconds()), ("$error", a.Error), ("$step", a.Progress?.Step),
                ("$total", a.Progress?.TotalSteps), ("$epoch", a.Progress?.Epoch));
        }

        await InsertEventAsync(connection, transaction, new NewEvent(trial.SweepId, trial.Id, trial.Attempt?.Number, change.EventKind, change.EventMessage), now, cancellationToken);
    }

    private static Task<int> InsertEventAsync(SqliteConnection connection, SqliteTransaction transaction, NewEvent entry, long now, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            INSERT INTO events (at, sweep_id, trial_id, attempt, kind, message) VALUES ($at, $sweep, $trial, $attempt, $kind, $message)
            """, cancellationToken,
            ("$at", now), ("$sweep", entry.SweepId), ("$trial", entry.TrialId), ("$attempt", entry.Attempt), ("$kind", entry.Kind), ("$message", entry.Message));

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class QueuedWrite<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) : IQueuedWrite
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public CancellationToken CancellationToken => cancellationToken;

        public Task<T> Result => _result.Task;

        public async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) => _value = await work(connection, transaction);

        public void Acknowledge() => _result.TrySetResult(_value!);

        public void Fail(Exception exception)
        {
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                _result.TrySetCanceled(cancellationToken);
            }
            else
            {
                _result.TrySetException(exception);
            }
        }
    }
}
