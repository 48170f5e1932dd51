using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// The embedded mode's grain state file: one SQLite database shared by every grain storage name of the silo, opened
/// when the silo starts its storage services and closed when it stops them.
/// </summary>
/// <remarks>
/// <para>
/// <b>Durability.</b> WAL journal with <c>synchronous=FULL</c>: every commit syncs the WAL, so a write is on disk
/// when <c>WriteStateAsync</c> returns and survives a power cut, not only a crash of the process (which
/// <c>NORMAL</c> would already survive). A trial grain writes before it acts (starts attempt N + 1, for one); losing
/// an acknowledged write could run an attempt number twice.
/// </para>
/// <para>
/// <b>Group commit.</b> Writes go through one writer (<see cref="WriteAsync{T}"/>), which commits them in groups:
/// every write queued while the previous commit was on its way to disk runs next, each inside its own savepoint of
/// one shared <c>BEGIN IMMEDIATE</c> transaction, and the group is committed (and synced) once. A write that throws is
/// rolled back to its savepoint and fails alone; none is acknowledged before the commit that holds it returns. So a
/// busy silo (every slot's trial writing a transition at once) pays one sync per group rather than one per write,
/// and no writer waits on SQLite's lock (or blocks a thread doing so): the writer is the only one.
/// </para>
/// <para>
/// <b>One process.</b> While open, the file holds an exclusive lock on <c>&lt;file&gt;.lock</c> next to it: a
/// second silo process on the same state directory fails to start with a clear message instead of writing the same
/// grains (two activations of one trial, each believing itself the only one). The operating system drops the lock
/// when the process ends, however it ends. Within the process, the one writer serializes the storage names' writes.
/// </para>
/// <para>
/// <b>Schema.</b> One table, versioned by <c>PRAGMA user_version</c> (1). A file written by a newer schema is refused.
/// </para>
/// </remarks>
internal sealed class SqliteGrainStateFile : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const int SchemaVersion = 1;

    private const string CreateSchema = """
        CREATE TABLE IF NOT EXISTS grain_state (
            service_id TEXT NOT NULL,
            grain_id TEXT NOT NULL,
            state_name TEXT NOT NULL,
            version INTEGER NOT NULL,
            payload BLOB NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (service_id, grain_id, state_name)
        ) WITHOUT ROWID;
        """;

    /// <summary>The most writes one commit holds.</summary>
    private const int MaxGroup = 128;

    private readonly string _connectionString;
    private readonly Lock _gate = new();
    private FileStream? _lock;
    private Channel<IQueuedWrite>? _writes;
    private Task _writer = Task.CompletedTask;

    public SqliteGrainStateFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _lock is not null;
            }
        }
    }

    /// <summary>Opens with the silo's storage services, before any grain can activate; closes after its grains are gone.</summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SqliteGrainStateFile), ServiceLifecycleStage.RuntimeStorageServices, OpenAsync, _ => CloseAsync());

    /// <summary>Takes the lock, creates the file and its schema if needed. Idempotent.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_lock is not null)
            {
                return;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var lockPath = Path + ".lock";
            try
            {
                _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException error)
            {
                throw new InvalidOperationException(
                    $"The grain state file {Path} is in use by another process (its lock {lockPath} is held). " +
                    "Only one embedded silo can run on a state directory at a time; stop the other run or use another state directory.",
                    error);
            }
        }

        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            // WAL is a property of the file: set once, it stays.
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL", cancellationToken);
            var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version", cancellationToken), CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
            {
                throw new InvalidOperationException(
                    $"The grain state file {Path} has schema version {version}, newer than this program's {SchemaVersion}; run a newer SweepCluster.");
            }

            if (version < SchemaVersion)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                await using (var create = connection.CreateCommand())
                {
                    create.Transaction = transaction;
                    create.CommandText = CreateSchema + $"PRAGMA user_version = {SchemaVersion};";
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            lock (_gate)
            {
                var writes = Channel.CreateUnbounded<IQueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
                _writes = writes;
                _writer = Task.Run(() => WriteLoopAsync(writes.Reader), CancellationToken.None);
            }
        }
        catch
        {
            Close();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside the writer's transaction (its own savepoint when it shares the commit with
    /// others) and returns its result once that commit is on disk. The work runs on the writer's thread, synchronously;
    /// an exception it throws undoes its statements only and is thrown here.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        var write = new QueuedWrite<T>(work, cancellationToken);
        Channel<IQueuedWrite>? writes;
        lock (_gate)
        {
            writes = _writes;
        }

        if (writes is null || !writes.Writer.TryWrite(write))
        {
            throw new InvalidOperationException($"The grain state file {Path} is not open: the silo has not started its storage services, or has stopped them.");
        }

        return write.Result;
    }

    /// <summary>Commits the writes already queued (later ones are refused), returns the pooled connections and releases the lock.</summary>
    public async Task CloseAsync()
    {
        Task writer;
        lock (_gate)
        {
            _writes?.Writer.TryComplete();
            _writes = null;
            writer = _writer;
        }

        await writer;
        lock (_gate)
        {
            if (_lock is null)
            {
                return;
            }

            // Pooled connections would keep the file and its WAL open after the silo stopped.
            using (var connection = new SqliteConnection(_connectionString))
            {
                SqliteConnection.ClearPool(connection);
            }

            _lock.Dispose();
            _lock = null;
        }
    }

    /// <inheritdoc cref="CloseAsync"/>
    public void Close() => CloseAsync().GetAwaiter().GetResult();

    public void Dispose() => Close();

    /// <summary>An open connection with the per-connection settings applied; the caller disposes it.</summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException($"The grain state file {Path} is not open: the silo has not started its storage services, or has stopped them.");
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The one writer: takes what is queued, runs it as one transaction of savepoints, commits once, acknowledges.</summary>
    private async Task WriteLoopAsync(ChannelReader<IQueuedWrite> writes)
    {
        var group = new List<IQueuedWrite>(MaxGroup);
        while (await writes.WaitToReadAsync(CancellationToken.None))
        {
            group.Clear();
            while (group.Count < MaxGroup && writes.TryRead(out var queued))
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
                CommitGroup(group);
            }
        }
    }

    private void CommitGroup(List<IQueuedWrite> group)
    {
        var ran = new List<IQueuedWrite>(group.Count);
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000";
                pragmas.ExecuteNonQuery();
            }

            // deferred: false is BEGIN IMMEDIATE: the write lock is taken before the first read.
            using var transaction = connection.BeginTransaction(deferred: false);
            if (group.Count == 1)
            {
                // Alone: no savepoint; if it throws, the transaction is rolled back whole.
                group[0].Run(connection, transaction);
                ran.Add(group[0]);
            }
            else
            {
                foreach (var write in group)
                {
                    transaction.Save("w");
                    try
                    {
                        write.Run(connection, transaction);
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

            transaction.Commit();
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

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>One caller's write, waiting in the queue for the writer.</summary>
    private interface IQueuedWrite
    {
        CancellationToken CancellationToken { get; }

        /// <summary>Runs the work inside the group's transaction; its result is held back until <see cref="Acknowledge"/>.</summary>
        void Run(SqliteConnection connection, SqliteTransaction transaction);

        /// <summary>The commit holding this write returned: hand the caller its result.</summary>
        void Acknowledge();

        void Fail(Exception exception);
    }

    private sealed class QueuedWrite<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken) : IQueuedWrite
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public CancellationToken CancellationToken => cancellationToken;

        public Task<T> Result => _result.Task;

        public void Run(SqliteConnection connection, SqliteTransaction transaction) => _value = work(connection, transaction);

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
