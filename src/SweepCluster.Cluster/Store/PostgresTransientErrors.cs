using System.Net.Sockets;
using Npgsql;

namespace SweepCluster.Cluster.Store;

/// <summary>Which errors of a PostgreSQL call are worth retrying: the ones a restarted or busy server causes.</summary>
public static class PostgresTransientErrors
{
    // Server-side codes Npgsql's IsTransient leaves out but a restart produces: 57P01 admin_shutdown
    // (pg_ctl stop -m fast terminates every session), 57P02 crash_shutdown, 57P03 cannot_connect_now
    // (the server is still starting), and class 08 (connection exception).
    private static readonly string[] RestartCodes = ["57P01", "57P02", "57P03"];

    /// <summary>True when retrying the whole transaction may succeed.</summary>
    public static bool IsTransient(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            OperationCanceledException => false,
            PostgresException postgres => postgres.IsTransient
                || RestartCodes.Contains(postgres.SqlState, StringComparer.Ordinal)
                || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
            // Connection refused, reset or closed by the server: Npgsql marks these transient.
            NpgsqlException npgsql => npgsql.IsTransient || IsConnectionFailure(npgsql.InnerException),
            SocketException or IOException => true,
            _ => false,
        };
    }

    /// <summary>True when the error means the connection itself is gone, so the pool's idle connections are suspect too.</summary>
    public static bool IsConnectionFailure(Exception? error) => error switch
    {
        null => false,
        SocketException or IOException => true,
        PostgresException postgres => RestartCodes.Contains(postgres.SqlState, StringComparer.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => IsConnectionFailure(npgsql.InnerException),
        _ => false,
    };
}
