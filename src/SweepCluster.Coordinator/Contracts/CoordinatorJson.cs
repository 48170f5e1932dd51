using System.Text.Json;
using System.Text.Json.Serialization;

namespace SweepCluster.Coordinator.Contracts;

/// <summary>
/// The API's JSON conventions, for servers and clients alike: camelCase names, enums as camelCase
/// strings, NaN and infinities as the strings "NaN", "Infinity" (a diverged loss is a value), and
/// numbers never read from strings otherwise.
/// </summary>
public static class CoordinatorJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the conventions to <paramref name="options"/> and returns it.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        return options;
    }
}
