using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// The one writer of a SQLite store, which commits writes in groups: every write queued while the previous commit was
/// on its way to disk runs next, one after another, each inside its own savepoint of one shared <c>BEGIN IMMEDIATE</c>
/// transaction, and the group is committed (and synced) once.
/// </summary>
/// <remarks>
/// A write that throws is rolled back to its savepoint and fails alone; no write is acknowledged before the commit that
/// holds it returns, so the durability of each acknowledged write is unchanged while many concurrent writers share one
/// sync. The writes of a group run in order and each sees the ones before it, exactly as if they ran one by one.
/// </remarks>
internal sealed class SqliteWriteQueue
{
    /// <summary>The most writes one commit holds.</summary>
    private const int MaxGroup = 128;

    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly Channel<IQueuedWrite> _writes = Channel.CreateUnbounded<IQueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <param name="open">Opens a connection with the store's pragmas set.</param>
    public SqliteWriteQueue(Func<CancellationToken, Task<SqliteConnection>> open)
    {
        _open = open;
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

    /// <summary>Queues <paramref name="work"/> and returns its result once the commit that holds it returned.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new QueuedWrite<T>(work, cancellationToken);
        if (!_writes.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqlTrialStore));
        }

        return await write.Result;
    }

    /// <summary>Commits the writes already queued, refuses later ones, and returns when the writer has stopped.</summary>
    public Task CompleteAsync()
    {
        _writes.Writer.TryComplete();
        return _writer;
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
            await using var connection = await _open(CancellationToken.None);
            // deferred: false is BEGIN IMMEDIATE: the database write lock is taken before the first read, so a
            // read-decide-write can never interleave with another writer, even from another process.
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

    private sealed class QueuedWrite<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) : IQueuedWrite
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
