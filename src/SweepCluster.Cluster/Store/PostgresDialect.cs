using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Npgsql;
using Polly;
using Polly.Retry;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// The cluster store's database: PostgreSQL through Npgsql, for several processes sharing one database.
/// </summary>
/// <remarks>
/// <para>Every write is one READ COMMITTED transaction that locks the rows it decides on (<see cref="LockClause"/>).
/// The lock is taken by a statement of its own and the rows are read by the next statement, whose snapshot then
/// includes whatever the previous lock holder committed (attempt rows included).</para>
/// <para>Transient errors (connection refused or lost, server restarting, deadlock, serialization failure) retry the
/// whole transaction, or the whole read, as <see cref="PostgresStoreOptions"/> describes; so a PostgreSQL restart
/// shorter than the retry budget is invisible to callers. A connection lost while COMMIT was in flight leaves it
/// unknown whether the write committed; the retry then runs against the committed state.</para>
/// </remarks>
internal sealed class PostgresDialect : StoreDialect
{
    // Any constant shared by every SweepCluster process: serialises concurrent migrations of one database.
    private const long MigrationLockKey = 0x5357_4545_5043_4c31;

    private static readonly ResiliencePropertyKey<long> StartedAtKey = new("sweepcluster.store.started");

    private readonly NpgsqlDataSource _dataSource;
    private readonly ResiliencePipeline _pipeline;

    /// <summary>
    /// Connects to the database named by <paramref name="connectionString"/> (an Npgsql <c>Host=...;Database=...</c>
    /// string or a <c>postgres://user:password@host:port/database</c> URL). Nothing is sent until the first call.
    /// </summary>
    public PostgresDialect(string connectionString, PostgresStoreOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var normalized = PostgresConnectionString.Normalize(connectionString);
        var builder = new NpgsqlDataSourceBuilder(normalized);
        var given = new DbConnectionStringBuilder { ConnectionString = normalized };
        // Npgsql's builder "contains" every keyword it knows; what the operator's string sets is in a plain builder.
        if (!given.ContainsKey("Max Auto Prepare"))
        {
            // The same few statements run for every transition, metric batch and checkpoint: prepared once per connection,
            // they skip parsing and planning. (Behind a transaction-mode pooler, set Max Auto Prepare=0 in the URL.)
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        options ??= PostgresStoreOptions.Default;
        if (!given.ContainsKey("Options") && SessionOptions(options) is { Length: > 0 } session)
        {
            builder.ConnectionStringBuilder.Options = session;
        }

        _dataSource = builder.Build();
        _pipeline = BuildPipeline(options, _dataSource);
    }

    public override TrialStoreKind Kind => TrialStoreKind.Postgres;

    public override string MigrationsFolder => "Postgres";

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, token);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(token);
            return result;
        }, cancellationToken);

    public override Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(token);
            return await read(connection);
        }, cancellationToken);

    public override string LockClause(RowLock mode, string alias) => mode switch
    {
        RowLock.Share => $"FOR SHARE OF {alias}",
        _ => $"FOR UPDATE OF {alias}",
    };

    public override string IsOneOf(string column, string parameter) => $"{column} = ANY({parameter})";

    public override object IdList(IReadOnlyList<string> ids) => ids.ToArray();

    /// <summary>DOUBLE PRECISION keeps NaN (a diverged loss) as NaN.</summary>
    public override object? Double(double value) => value;

    public override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(@key)";
        var key = command.CreateParameter();
        key.ParameterName = "@key";
        key.Value = MigrationLockKey;
        command.Parameters.Add(key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// The server settings each session starts with (no extra round trip): an end to a transaction left idle by a writer
    /// that went silent, and keepalive probes of a silent client, so its row locks do not outlive it.
    /// </summary>
    private static string SessionOptions(PostgresStoreOptions options)
    {
        var idle = (long)options.IdleInTransactionTimeout.TotalMilliseconds;
        return idle <= 0 ? string.Empty
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"-c idle_in_transaction_session_timeout={idle} -c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3");
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
}
