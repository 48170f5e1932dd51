using System.Text.Json;
using Npgsql;

namespace SweepCluster.Cluster.Store;

public sealed partial class PostgresTrialStore
{
    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        AddParameters(command.Parameters, parameters);
        return command;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddParameters(command.Parameters, parameters);
        return command;
    }

    private static void AddParameters(NpgsqlParameterCollection target, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            target.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<string>> ReadIdsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken,
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
    ];

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    private static TEnum ParseEnum<TEnum>(string text)
        where TEnum : struct, Enum => Enum.Parse<TEnum>(text, ignoreCase: true);

    private static string ToJson<T>(T value) => JsonSerializer.Serialize(value);

    private static T FromJson<T>(string json) =>
        JsonSerializer.Deserialize<T>(json) ?? throw new InvalidDataException($"The store holds JSON that reads as null: {json}");

    private static Dictionary<string, string> LabelsFromJson(string json) => FromJson<Dictionary<string, string>>(json);
}
