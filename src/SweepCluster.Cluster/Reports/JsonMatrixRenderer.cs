using System.Text.Json;
using System.Text.Json.Serialization;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// Renders the matrix as JSON (<c>matrix.json</c>) and reads it back. Property names are the model's
/// names in snake_case (<c>psnr_gain_cross</c>, <c>agrees_with_expected</c>) and enums are lower-case
/// strings; both are part of the file's contract.
/// </summary>
public static class JsonMatrixRenderer
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Render(TestMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return JsonSerializer.Serialize(matrix, Options) + "\n";
    }

    public static TestMatrix Read(string json) =>
        JsonSerializer.Deserialize<TestMatrix>(json, Options) ?? throw new JsonException("matrix.json holds null.");
}
