namespace SweepCluster.Cluster.Store;

/// <summary>Opens the store a command line names.</summary>
/// <remarks>
/// Accepted forms: <c>sqlite:PATH</c> or a plain file path (SQLite, created if missing);
/// <c>postgres://user:password@host:port/database</c> or <c>postgresql://...</c>; and Npgsql connection
/// strings (<c>Host=...;Database=...</c>, recognised by a <c>Host</c> or <c>Server</c> keyword).
/// </remarks>
public static class TrialStoreFactory
{
    private const string SqlitePrefix = "sqlite:";

    /// <summary>Says which store <paramref name="store"/> names, without opening it.</summary>
    public static TrialStoreLocation Parse(string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        var text = store.Trim();
        if (text.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = text[SqlitePrefix.Length..];
            // sqlite:///abs/path and sqlite://rel are URL spellings of the same thing.
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("The store 'sqlite:' names no file; write sqlite:PATH, for example sqlite:.sweepcluster/store.db.", nameof(store));
            }

            return new TrialStoreLocation(TrialStoreKind.Sqlite, path);
        }

        if (PostgresConnectionString.IsUrl(text) || IsNpgsqlKeywordString(text))
        {
            return new TrialStoreLocation(TrialStoreKind.Postgres, PostgresConnectionString.Normalize(text));
        }

        return new TrialStoreLocation(TrialStoreKind.Sqlite, text);
    }

    /// <summary>Opens (and migrates) the store <paramref name="store"/> names; see the remarks for the accepted forms.</summary>
    public static async Task<ITrialStore> OpenAsync(string store, TimeProvider time, PostgresStoreOptions? postgresOptions, CancellationToken cancellationToken)
    {
        var location = Parse(store);
        return location.Kind switch
        {
            TrialStoreKind.Postgres => await SqlTrialStore.OpenPostgresAsync(location.Target, time, postgresOptions, cancellationToken),
            _ => await SqlTrialStore.OpenSqliteAsync(location.Target, time, cancellationToken),
        };
    }

    /// <summary>Opens the store with the default retry options.</summary>
    public static Task<ITrialStore> OpenAsync(string store, TimeProvider time, CancellationToken cancellationToken) =>
        OpenAsync(store, time, null, cancellationToken);

    private static bool IsNpgsqlKeywordString(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2)[0].Trim())
            .Any(key => key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase));
}
