using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// Applies the embedded migration scripts of one SQL dialect (<c>Migrations/&lt;Dialect&gt;/NNNN_name.sql</c>)
/// in version order, each recorded in <c>schema_version</c>. Uses only ADO.NET base types and SQL
/// both SQLite and PostgreSQL accept, so each store only supplies its folder and its transaction.
/// </summary>
internal static class SchemaMigrator
{
    private const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    /// <summary>The scripts of a dialect in version order.</summary>
    public static IReadOnlyList<MigrationScript> LoadScripts(string dialect)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"Migrations/{dialect}/";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(fileName[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration script '{resource}' is not named NNNN_name.sql.");
            }

            scripts.Add(new MigrationScript(version, Path.GetFileNameWithoutExtension(fileName)[(separator + 1)..], Read(assembly, resource)));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migration scripts of {dialect} have version {duplicate.Key}.");
        }

        return [.. scripts.OrderBy(s => s.Version)];
    }

    /// <summary>
    /// Applies every script newer than the recorded version inside <paramref name="transaction"/>,
    /// which the caller commits; a failing script leaves the schema as it was. Returns the number applied.
    /// </summary>
    public static async Task<int> ApplyAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MigrationScript> scripts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = CreateVersionTable;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        long current;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
            current = Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        var applied = 0;
        foreach (var script in scripts.Where(s => s.Version > current))
        {
            await using (var apply = connection.CreateCommand())
            {
                apply.Transaction = transaction;
                apply.CommandText = script.Sql;
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @applied_at)";
                AddParameter(record, "@version", script.Version);
                AddParameter(record, "@name", script.Name);
                AddParameter(record, "@applied_at", now.ToUnixTimeMilliseconds());
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            applied++;
        }

        return applied;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration script '{resource}' is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
