using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>Dotted-path access to a config tree.</summary>
internal static class ConfigTree
{
    public static JsonNode? Get(JsonObject root, string path, out bool found)
    {
        JsonNode? current = root;
        foreach (var segment in path.Split('.'))
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out current))
            {
                found = false;
                return null;
            }
        }

        found = true;
        return current;
    }

    /// <summary>Writes a deep copy of <paramref name="value"/>, creating missing objects on the way.</summary>
    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var segments = path.Split('.');
        var current = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (current[segments[i]] is not JsonObject next)
            {
                next = [];
                current[segments[i]] = next;
            }

            current = next;
        }

        current[segments[^1]] = value?.DeepClone();
    }

    /// <summary>"a number", "a string", ... for messages.</summary>
    public static string KindName(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => "a string",
            System.Text.Json.JsonValueKind.Number => "a number",
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "a boolean",
            _ => "null",
        },
        _ => "a value",
    };
}
