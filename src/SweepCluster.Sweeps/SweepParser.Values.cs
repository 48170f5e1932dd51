using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Sweeps;

/// <summary>YAML node helpers and config-override checking.</summary>
internal sealed partial class SweepParser
{
    public const string ScheduleKey = "trainer.schedule";

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    private SourceLocation Loc(YamlNode node) =>
        new(_file, checked((int)node.Start.Line), checked((int)node.Start.Column));

    /// <summary>The position of a character inside a one-line scalar, else the scalar's start.</summary>
    private SourceLocation LocInside(YamlNode node, int offset)
    {
        var start = Loc(node);
        if (node is YamlScalarNode scalar && node.Start.Line == node.End.Line)
        {
            var quote = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
            if (scalar.Style is ScalarStyle.Plain or ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
            {
                return start with { Column = start.Column + quote + offset };
            }
        }

        return start;
    }

    private void Error(YamlNode node, string path, string message) => _errors.Add(SweepError.At(Loc(node), path, message));

    private void Error(SourceLocation location, string path, string message) => _errors.Add(SweepError.At(location, path, message));

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain } s && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    /// <summary>Plain scalars are typed as in YAML 1.2's core schema; quoted ones are strings.</summary>
    public static JsonNode? ToJson(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return ScalarToJson(scalar);
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var child in sequence.Children)
                {
                    array.Add(ToJson(child));
                }

                return array;
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var pair in mapping.Children)
                {
                    obj[((YamlScalarNode)pair.Key).Value ?? string.Empty] = ToJson(pair.Value);
                }

                return obj;
            default:
                return null;
        }
    }

    private static JsonNode? ScalarToJson(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }

        if (IntegerPattern().IsMatch(text) || FloatPattern().IsMatch(text))
        {
            return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(text);
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing (null)",
        YamlScalarNode s => $"{ConfigTree.KindName(ScalarToJson(s))} `{s.Value}`",
        _ => "an unsupported node",
    };

    /// <summary>A mapping's entries by key, reporting non-scalar and unknown keys.</summary>
    private List<(string Key, YamlScalarNode KeyNode, YamlNode Value)>? Entries(
        YamlNode node, string path, IReadOnlyCollection<string>? allowed, string what)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node, path, $"expected {what} (a mapping), found {Describe(node)}");
            return null;
        }

        var entries = new List<(string, YamlScalarNode, YamlNode)>();
        foreach (var pair in mapping.Children)
        {
            if (pair.Key is not YamlScalarNode keyNode || string.IsNullOrEmpty(keyNode.Value))
            {
                Error(pair.Key, path, "keys must be plain names");
                continue;
            }

            var key = keyNode.Value;
            if (allowed is not null && !allowed.Contains(key))
            {
                Error(keyNode, Join(path, key),
                    $"unknown key `{key}`{Suggestions.DidYouMean(key, allowed)} (valid keys: {string.Join(", ", allowed)})");
                continue;
            }

            entries.Add((key, keyNode, pair.Value));
        }

        return entries;
    }

    private void Require(YamlNode mapping, IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value)> entries, string path, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (!entries.Any(e => e.Key == key))
            {
                Error(mapping, path, $"missing required key `{key}`");
            }
        }
    }

    private string? ReadText(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && !IsNull(scalar))
        {
            return scalar.Value;
        }

        Error(node, path, $"expected text, found {Describe(node)}");
        return null;
    }

    private long? ReadInteger(YamlNode node, string path, long min)
    {
        if (node is YamlScalarNode scalar && ScalarToJson(scalar) is JsonValue value && value.TryGetValue<long>(out var whole))
        {
            if (whole < min)
            {
                Error(node, path, $"expected an integer >= {min}, found {whole}");
                return null;
            }

            return whole;
        }

        Error(node, path, $"expected an integer, found {Describe(node)}");
        return null;
    }

    private double? ReadNumber(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && ScalarToJson(scalar) is JsonValue value)
        {
            if (value.TryGetValue<long>(out var whole))
            {
                return whole;
            }

            if (value.TryGetValue<double>(out var real))
            {
                return real;
            }
        }

        Error(node, path, $"expected a number, found {Describe(node)}");
        return null;
    }

    private bool? ReadBool(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && ScalarToJson(scalar) is JsonValue value && value.TryGetValue<bool>(out var flag))
        {
            return flag;
        }

        Error(node, path, $"expected true or false, found {Describe(node)}");
        return null;
    }

    private T? ReadEnum<T>(YamlNode node, string path, IReadOnlyDictionary<string, T> values)
        where T : struct
    {
        var text = ReadText(node, path);
        if (text is null)
        {
            return null;
        }

        if (values.TryGetValue(text, out var value))
        {
            return value;
        }

        Error(node, path, $"unknown value `{text}`{Suggestions.DidYouMean(text, values.Keys)} (valid values: {string.Join(", ", values.Keys)})");
        return null;
    }

    /// <summary>
    /// Walks a (possibly dotted) key from <paramref name="prefix"/> through the defaults;
    /// reports the first segment that names no config key, at that segment's column.
    /// </summary>
    private string? ResolveConfigPath(string prefix, string key, YamlNode keyNode, string sweepPath, out JsonNode? defaultNode, int baseOffset = 0)
    {
        defaultNode = null;
        JsonNode? current = prefix.Length == 0 ? _defaults : ConfigTree.Get(_defaults, prefix, out _);
        var full = prefix;
        var offset = baseOffset;
        foreach (var segment in key.Split('.'))
        {
            if (current is not JsonObject obj)
            {
                Error(LocInside(keyNode, offset), sweepPath,
                    $"`{full}` is {ConfigTree.KindName(current)} in the trial config; it has no key `{segment}`");
                return null;
            }

            var name = segment;
            var found = obj.TryGetPropertyValue(name, out var child);
            if (!found)
            {
                // An old key name: the override is stored under the current one.
                var canonical = _schema.CanonicalPath(Join(full, name));
                var currentName = canonical[(canonical.LastIndexOf('.') + 1)..];
                if (currentName != name && obj.TryGetPropertyValue(currentName, out child))
                {
                    (name, found) = (currentName, true);
                }
            }

            if (!found)
            {
                var siblings = obj.Select(p => p.Key).ToList();
                var closest = Suggestions.Closest(segment, siblings);
                var hint = closest is null ? string.Empty : $"; did you mean `{Join(full, closest)}`?";
                Error(LocInside(keyNode, offset), sweepPath,
                    $"`{Join(full, segment)}` names no trial config key{hint} (keys of `{(full.Length == 0 ? "(root)" : full)}`: {string.Join(", ", siblings)})");
                return null;
            }

            full = Join(full, name);
            current = child;
            offset += segment.Length + 1;
        }

        defaultNode = current;
        return full;
    }

    /// <summary>Whether a dotted key names a config key, without reporting anything.</summary>
    private bool IsConfigPath(string key)
    {
        ConfigTree.Get(_defaults, key, out var found);
        return found;
    }

    /// <summary>A map of config overrides (dotted or nested keys), flattened into <paramref name="output"/>.</summary>
    private void ParseOverrideMap(YamlNode node, string sweepPath, string configPrefix, List<ConfigOverride> output)
    {
        var entries = Entries(node, sweepPath, allowed: null, "config overrides");
        if (entries is null)
        {
            return;
        }

        foreach (var (key, keyNode, value) in entries)
        {
            var entryPath = Join(sweepPath, key);
            var configPath = ResolveConfigPath(configPrefix, key, keyNode, entryPath, out var defaultNode);
            if (configPath is not null)
            {
                ParseValueAt(configPath, defaultNode, value, entryPath, output);
            }
        }
    }

    /// <summary>One override value at a known config path: maps merge, lists and leaves replace.</summary>
    private void ParseValueAt(string configPath, JsonNode? defaultNode, YamlNode valueNode, string sweepPath, List<ConfigOverride> output)
    {
        if (configPath == ScheduleKey)
        {
            var schedule = ParseScheduleValue(valueNode, sweepPath);
            if (schedule is not null)
            {
                output.Add(new ConfigOverride(configPath, schedule, Loc(valueNode)));
            }

            return;
        }

        if (defaultNode is JsonObject defaultObject)
        {
            if (valueNode is YamlMappingNode)
            {
                ParseOverrideMap(valueNode, sweepPath, configPath, output);
            }
            else
            {
                Error(valueNode, sweepPath,
                    $"expected a mapping (keys of `{configPath}`: {string.Join(", ", defaultObject.Select(p => p.Key))}), found {Describe(valueNode)}");
            }

            return;
        }

        if (CheckValue(configPath, defaultNode, valueNode, sweepPath, out var value))
        {
            output.Add(new ConfigOverride(configPath, value, Loc(valueNode)));
        }
    }

    /// <summary>Checks a value's kind against the default's, and enumerated strings against the schema.</summary>
    private bool CheckValue(string configPath, JsonNode? defaultNode, YamlNode valueNode, string sweepPath, out JsonNode? value)
    {
        value = ToJson(valueNode);
        if (defaultNode is null)
        {
            return true;
        }

        var expected = ConfigTree.KindName(defaultNode);
        if (defaultNode is JsonArray defaultArray)
        {
            if (valueNode is not YamlSequenceNode sequence)
            {
                Error(valueNode, sweepPath, $"expected {expected}, found {Describe(valueNode)}");
                return false;
            }

            if (defaultArray.Count == 0 || defaultArray[0] is null)
            {
                return true;
            }

            var elementKind = ConfigTree.KindName(defaultArray[0]);
            var ok = true;
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var element = sequence.Children[i];
                if (ConfigTree.KindName(ToJson(element)) != elementKind)
                {
                    Error(element, $"{sweepPath}[{i}]", $"expected {elementKind}, found {Describe(element)}");
                    ok = false;
                }
            }

            return ok;
        }

        var actual = ConfigTree.KindName(value);
        if (actual != expected)
        {
            Error(valueNode, sweepPath, $"expected {expected}, found {Describe(valueNode)}");
            return false;
        }

        if (value is JsonValue stringValue && stringValue.TryGetValue<string>(out var text))
        {
            var allowed = _schema.AllowedValues(configPath);
            if (allowed is not null && !allowed.Contains(text, StringComparer.Ordinal))
            {
                Error(valueNode, sweepPath,
                    $"unknown value `{text}` for `{configPath}`{Suggestions.DidYouMean(text, allowed)} (valid values: {string.Join(", ", allowed)})");
                return false;
            }

            if (allowed is not null)
            {
                value = JsonValue.Create(_schema.CanonicalValue(configPath, text));
            }
        }

        return true;
    }

    private static string LabelOf(YamlNode node) =>
        node is YamlScalarNode scalar ? scalar.Value ?? "null" : CanonicalJson.Serialize(ToJson(node));
}
