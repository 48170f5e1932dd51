using System.Globalization;
using Npgsql;

namespace SweepCluster.Cluster.Store;

/// <summary>Turns the connection strings an operator writes into Npgsql's <c>Key=Value;</c> form.</summary>
public static class PostgresConnectionString
{
    /// <summary>
    /// Accepts <c>postgres://user:password@host:port/database?key=value</c> (or <c>postgresql://</c>; user,
    /// password and port optional, percent-encoded) and Npgsql strings (<c>Host=...;Database=...</c>), which
    /// pass through unchanged. Query parameters of a URL become Npgsql keywords (<c>sslmode=require</c>).
    /// </summary>
    public static string Normalize(string connection)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        if (!IsUrl(connection))
        {
            return new NpgsqlConnectionStringBuilder(connection).ConnectionString;
        }

        if (!Uri.TryCreate(connection, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{Redact(connection)}' is not a valid postgres:// URL (expected postgres://user:password@host:port/database).", nameof(connection));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
            if (separator >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "true" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException error)
            {
                throw new ArgumentException($"Unknown or invalid PostgreSQL option '{key}' in the connection URL: {error.Message}", nameof(connection), error);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>True for <c>postgres://</c> and <c>postgresql://</c> URLs.</summary>
    public static bool IsUrl(string connection) =>
        connection.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || connection.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string with its password replaced, for messages and logs.</summary>
    public static string Redact(string connection)
    {
        if (IsUrl(connection))
        {
            var at = connection.LastIndexOf('@');
            var scheme = connection.IndexOf("://", StringComparison.Ordinal) + 3;
            var colon = at < 0 ? -1 : connection.IndexOf(':', scheme, at - scheme);
            return colon < 0 ? connection : string.Create(CultureInfo.InvariantCulture, $"{connection[..(colon + 1)]}***{connection[at..]}");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connection);
            if (!string.IsNullOrEmpty(builder.Password))
            {
                builder.Password = "***";
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(unparseable connection string)";
        }
    }
}
