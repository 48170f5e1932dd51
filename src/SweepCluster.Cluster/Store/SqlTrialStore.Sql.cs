using System.Data.Common;
using System.Text.Json;

namespace SweepCluster.Cluster.Store;

public sealed partial class SqlTrialStore
{
    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(Parameter(command.CreateParameter(), name, value));
        }

        return command;
    }

    private static DbParameter Parameter(DbParameter parameter, string name, object? value)
    {
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs the statements in order: as one <see cref="DbBatch"/> (one round trip) where the provider has batches, else one by one.</summary>
    private static async Task ExecuteBatchAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        if (!connection.CanCreateBatch)
        {
            foreach (var statement in statements)
            {
                await ExecuteAsync(connection, transaction, statement.Sql, cancellationToken, [.. statement.Parameters]);
            }

            return;
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var statement in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql;
            foreach (var (name, value) in statement.Parameters)
            {
                command.Parameters.Add(Parameter(command.CreateParameter(), name, value));
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<string>> ReadIdsAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>A trial's definition columns as parameters (<c>@id</c>, <c>@config_name</c>, ... <c>@order</c>).</summary>
    private static (string Name, object? Value)[] DefinitionParameters(NewTrial trial) =>
    [
        ("@id", trial.Id), ("@config_name", trial.ConfigName), ("@config_key", trial.ConfigKey), ("@seed", trial.Seed),
        ("@parameters", trial.ParametersJson), ("@expect", trial.Expect), ("@verdict", trial.ExpectedVerdict), ("@config", trial.ConfigJson),
        ("@gpus", trial.Resources.Gpus), ("@memory", trial.Resources.GpuMemoryGiB), ("@labels", ToJson(trial.Resources.Labels)),
        ("@max_attempts", trial.MaxAttempts), ("@priority", trial.Priority), ("@order", trial.OrderIndex),
        ("@early_stopping", trial.EarlyStopping),
    ];

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    private static TEnum ParseEnum<TEnum>(string text)
        where TEnum : struct, Enum => Enum.Parse<TEnum>(text, ignoreCase: true);

    private static string ToJson<T>(T value) => JsonSerializer.Serialize(value);

    private static T FromJson<T>(string json) =>
        JsonSerializer.Deserialize<T>(json) ?? throw new InvalidDataException($"The store holds JSON that reads as null: {json}");

    private static Dictionary<string, string> LabelsFromJson(string json) => FromJson<Dictionary<string, string>>(json);

    /// <summary>One statement of a batch with its parameters.</summary>
    private sealed record SqlStatement(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);
}
