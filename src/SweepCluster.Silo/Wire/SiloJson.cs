using System.Text.Json;
using System.Text.Json.Serialization;

namespace SweepCluster.Silo.Wire;

/// <summary>The coordinator API's JSON conventions (camelCase, enums as camelCase strings, NaN as "NaN").</summary>
internal static class SiloJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
