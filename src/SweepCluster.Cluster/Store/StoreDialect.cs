using System.Data.Common;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// What differs between the databases <see cref="SqlTrialStore"/> runs on: how connections open, how a write
/// transaction runs (grouped, retried), how the rows a decision reads are kept from other writers, and the few SQL
/// fragments the two spell differently. Every other statement of the store is SQL both SQLite and PostgreSQL accept,
/// with <c>@name</c> parameters.
/// </summary>
/// <remarks>
/// A dialect owns its connections (a pool or a data source) and is disposed with its store, after every call
/// has finished. Its members may be called concurrently.
/// </remarks>
internal abstract class StoreDialect : IAsyncDisposable
{
    public abstract TrialStoreKind Kind { get; }

    /// <summary>The folder of this dialect's migration scripts, <c>Migrations/&lt;folder&gt;/NNNN_name.sql</c>.</summary>
    public abstract string MigrationsFolder { get; }

    /// <summary>
    /// Runs <paramref name="work"/> inside one write transaction and commits it; returns once the commit is durable.
    /// The work may run more than once (a retried transaction), so it must not act outside the transaction.
    /// </summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="read"/> on an open connection, outside a transaction; it may run more than once.</summary>
    public abstract Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken);

    /// <summary>
    /// The clause that locks the rows of table alias <paramref name="alias"/> a <c>SELECT</c> returns until the
    /// transaction ends (<c>FOR UPDATE OF t</c>); null where every write transaction holds the database's one write
    /// lock from its first statement, so no rows need locking.
    /// </summary>
    public abstract string? LockClause(RowLock mode, string alias);

    /// <summary>A condition that holds when <paramref name="column"/> is one of the ids <paramref name="parameter"/> holds (<see cref="IdList"/>).</summary>
    public abstract string IsOneOf(string column, string parameter);

    /// <summary>The parameter value of a list of ids for <see cref="IsOneOf"/>.</summary>
    public abstract object IdList(IReadOnlyList<string> ids);

    /// <summary>A floating-point value as the database can store it.</summary>
    public abstract object? Double(double value);

    /// <summary>Serialises migrations of one database by several processes, inside the migration's transaction.</summary>
    public virtual Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();
}
